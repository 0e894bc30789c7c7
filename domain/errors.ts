/**
 * Typed errors of the domain. The API maps `kind` to an HTTP status in one place;
 * `message` (zh-CN) and `messageEn` are what users see.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rejected'
  | 'too_large'
  | 'unsupported_media'
  | 'rate_limited'
  /** A dependency (Temporal, database) is unreachable: retry later; nothing was lost. */
  | 'unavailable';

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly messageEn: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (code: string, zh: string, en: string) => new AppError('not_found', code, zh, en);
export const forbidden = (zh = '无权访问', en = 'Forbidden') => new AppError('forbidden', 'FORBIDDEN', zh, en);
export const invalid = (code: string, zh: string, en: string, details?: Record<string, unknown>) => new AppError('validation', code, zh, en, details);
export const rejected = (code: string, zh: string, en: string) => new AppError('rejected', code, zh, en);
export const unavailable = (code: string, zh: string, en: string, retryAfterSeconds = 5) => new AppError('unavailable', code, zh, en, { retryAfterSeconds });
