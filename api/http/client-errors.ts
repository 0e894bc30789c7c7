import { MulterError } from 'multer';
import { AppError } from '../../domain/errors';

/**
 * Errors raised by Express, body-parser, multer/busboy and serve-static for a bad request carry
 * an HTTP status (`status`/`statusCode`, 4xx) or a known code: they are the client's mistake and
 * become 400/404/413/415 with a message, never a 500.
 */
export function clientErrorFrom(err: unknown): AppError | null {
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return new AppError('too_large', 'FILE_TOO_LARGE', '上传文件过大', 'The uploaded file is too large');
    if (err.code === 'LIMIT_FIELD_VALUE' || err.code === 'LIMIT_FIELD_KEY' || err.code === 'LIMIT_FIELD_COUNT' || err.code === 'LIMIT_PART_COUNT') {
      return new AppError('too_large', 'FORM_TOO_LARGE', '上传表单过大', 'The upload form has too many or too large fields');
    }
    return new AppError('validation', 'UPLOAD_FAILED', '上传失败：请只上传一个文件（字段 file）', 'Upload failed: send one file in the field "file"');
  }
  if (!err || typeof err !== 'object') return null;
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown };
  switch (e.type) {
    case 'entity.parse.failed':
      return new AppError('validation', 'BAD_JSON', '请求格式不正确', 'Malformed JSON body');
    case 'entity.too.large':
      return new AppError('too_large', 'BODY_TOO_LARGE', '请求内容过大', 'The request body is too large');
    case 'encoding.unsupported':
      return new AppError('unsupported_media', 'UNSUPPORTED_ENCODING', '不支持压缩的请求内容', 'Compressed request bodies are not supported');
    case 'charset.unsupported':
      return new AppError('unsupported_media', 'UNSUPPORTED_CHARSET', '请求内容须为 UTF-8 编码', 'The request body must be UTF-8');
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError('validation', 'BAD_BODY', '请求内容不完整', 'The request body is incomplete');
  }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (status === 403) return new AppError('forbidden', 'FORBIDDEN', '禁止访问', 'Forbidden');
  if (status === 404) return new AppError('not_found', 'NOT_FOUND', '页面不存在', 'Not found');
  if (status === 413) return new AppError('too_large', 'BODY_TOO_LARGE', '请求内容过大', 'The request body is too large');
  if (status === 415) return new AppError('unsupported_media', 'UNSUPPORTED_MEDIA', '不支持的请求内容类型', 'Unsupported request content');
  if (status >= 400 && status < 500) return new AppError('validation', 'BAD_REQUEST', '请求格式不正确', 'Bad request');
  return null;
}
