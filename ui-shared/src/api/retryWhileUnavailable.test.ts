import { describe, expect, it } from 'vitest';
import { ApiError } from './apiFetch';
import { retryWhileUnavailable, unavailableRetryDelayMs } from './retryWhileUnavailable';

const unavailable = (seconds?: number) => new ApiError('签署服务暂时不可用，请稍后重试（验证码仍然有效）', 503, 'TEMPORAL_UNAVAILABLE', null, seconds);

/** A request answering the given outcomes in turn; its calls and the waits between them are recorded. */
function scripted(outcomes: Array<Error | string>) {
  const waits: number[] = [];
  let calls = 0;
  const send = async () => {
    const next = outcomes[Math.min(calls++, outcomes.length - 1)]!;
    if (next instanceof Error) throw next;
    return next;
  };
  return { send, waits, calls: () => calls, sleep: async (ms: number) => void waits.push(ms) };
}

describe('retryWhileUnavailable', () => {
  it('sends again after each 503 with Retry-After, waiting as told, and returns the answer that follows', async () => {
    const s = scripted([unavailable(5), unavailable(2), 'signed']);
    const told: number[] = [];
    await expect(retryWhileUnavailable(s.send, { budgetMs: 30_000, sleep: s.sleep, onWait: (ms) => told.push(ms) })).resolves.toBe('signed');
    expect(s.waits).toEqual([5_000, 2_000]);
    expect(told).toEqual([5_000, 2_000]);
    expect(s.calls()).toBe(3);
  });

  it('gives up with the last 503 once the next wait would pass the budget', async () => {
    const s = scripted([unavailable(5)]);
    const err = await retryWhileUnavailable(s.send, { budgetMs: 12_000, sleep: s.sleep }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(503);
    expect(s.waits).toEqual([5_000, 5_000]);
    expect(s.calls()).toBe(3);
  });

  it('never resends other errors: a refusal, a 503 without Retry-After, a 429, a network failure', async () => {
    for (const error of [
      new ApiError('验证码错误', 422, 'SMS_CODE_INVALID', null),
      unavailable(undefined),
      new ApiError('请求过于频繁', 429, 'RATE_LIMITED', null, 30),
      new ApiError('网络错误，请检查连接后重试', 0, 'NETWORK', null),
    ]) {
      const s = scripted([error, 'signed']);
      await expect(retryWhileUnavailable(s.send, { budgetMs: 60_000, sleep: s.sleep })).rejects.toBe(error);
      expect(s.calls()).toBe(1);
      expect(unavailableRetryDelayMs(error)).toBeNull();
    }
  });

  it('stops when the caller is gone (the dialog was closed during the wait)', async () => {
    let alive = true;
    const s = scripted([unavailable(1), 'signed']);
    const err = await retryWhileUnavailable(s.send, { budgetMs: 30_000, sleep: async () => void (alive = false), alive: () => alive }).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(503);
    expect(s.calls()).toBe(1);
  });
});
