/**
 * An answer the CA service gives instead of doing what was asked: HTTP status, a stable code and
 * the message in zh-CN and English. 4xx are business refusals (the platform's adapter turns them
 * into `CaRefusal`), 503 means "try again later".
 */
export class CaServiceError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
  ) {
    super(`${code}: ${messageEn}`);
    this.name = 'CaServiceError';
  }
}

export const orderNotFound = () => new CaServiceError(404, 'ORDER_NOT_FOUND', '订单不存在', 'Order not found');
export const invalidInput = (code: string, zh: string, en: string) => new CaServiceError(400, code, zh, en);
