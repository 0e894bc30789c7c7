// Thread entry for the pool's own tests (not a shipped code path): tasks that misbehave on purpose.
import { serveTasks } from './serve-tasks';

const retained: unknown[] = [];
/** `count` tasks this thread has run (it asks to retire after the third). */
let counted = 0;

serveTasks(
  {
    echo: async (payload: unknown) => ({ result: payload }),
    /** How many `count` tasks this thread has run, this one included. */
    count: async () => ({ result: ++counted }),
    /** Blocks the thread's event loop for `ms`. */
    spin: async ({ ms }: { ms: number }) => {
      const end = Date.now() + ms;
      while (Date.now() < end);
      return { result: 'spun' };
    },
    /** Keeps allocating JavaScript heap until the thread's memory limit stops it. */
    allocate: async () => {
      for (;;) retained.push(new Array(1_000_000).fill({ x: Math.random() }));
    },
    fail: async ({ message }: { message: string }) => {
      throw Object.assign(new Error(message), { name: 'DocumentError', code: 'PDF_CORRUPT' });
    },
    /** Throws what a library may throw on bytes it does not expect, or a system error. */
    crash: async ({ kind }: { kind: 'type' | 'stack' | 'system' }) => {
      if (kind === 'type') throw new TypeError('Cannot read properties of undefined (reading "asNumber")');
      if (kind === 'system') throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT', errno: -2 });
      const recurse = (n: number): number => recurse(n + 1) + 1;
      return { result: recurse(0) };
    },
  },
  { retireWhen: () => counted >= 3 },
);
