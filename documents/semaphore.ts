/**
 * A counting semaphore: at most `max` holders at once, the others wait in arrival order. For work that
 * runs outside the event loop but on a shared, small resource (libuv's thread pool: resvg's renderAsync,
 * sharp, fs, argon2 and crypto's async functions all queue there), so that one kind of work cannot take
 * every thread while the rest of the process waits behind it.
 */
export class Semaphore {
  private held = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`Semaphore needs a positive integer, got ${max}`);
  }

  /** Holders right now. */
  get running(): number {
    return this.held;
  }

  /** Callers waiting for a turn. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with the release once it is the caller's turn; call the release exactly once (a second call does nothing). */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.held++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.held--;
          this.queue.shift()?.();
        });
      };
      if (this.held < this.max) grant();
      else this.queue.push(grant);
    });
  }

  /** Runs `work` when it is its turn; the turn is given back however it ends. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
