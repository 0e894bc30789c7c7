import { Semaphore } from '../semaphore';

/**
 * Seal images drawn at once in this process (API or worker), whoever asks: resvg's renderAsync and the sharp
 * steps around it run in libuv's thread pool (UV_THREADPOOL_SIZE, 8 as the processes are started), which fs,
 * crypto and argon2 (logins) share. A 公章 at 600 dpi holds a thread 100–300 ms; without a bound, parallel
 * drawings (one administrator's redraws, first views of seals from before M12, certification approvals in the
 * worker) took every thread and the rest of the process waited behind them.
 */
export const SEAL_RENDERS_AT_ONCE = 2;

export const sealRenders = new Semaphore(SEAL_RENDERS_AT_ONCE);
