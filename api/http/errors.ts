import type { ErrorRequestHandler, Request } from 'express';
import { ZodError } from 'zod';
import { DocumentError } from '../../documents/errors';
import { AppError, unavailable, type ErrorKind } from '../../domain/errors';
import { isConnectionWaitTimeout } from '../../domain/persistence/connection-pool';
import { clientErrorFrom } from './client-errors';
import { hasBody } from './request-guards';

const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  rejected: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** DocumentError code → [zh-CN, English, kind (default validation → 400)]. */
const DOCUMENT_MESSAGES: Record<string, [string, string, ErrorKind?]> = {
  NOT_A_PDF: ['文件不是有效的 PDF', 'The file is not a PDF'],
  PDF_CORRUPT: ['PDF 文件已损坏或结构异常，无法读取', 'The PDF is corrupt or malformed and cannot be read'],
  PDF_TOO_LARGE: ['文件过大', 'The file is too large', 'too_large'],
  PDF_TOO_MANY_PAGES: ['PDF 页数超出限制', 'The PDF has too many pages', 'rejected'],
  PDF_TOO_COMPLEX: ['PDF 结构过于复杂（对象、压缩数据或处理时间超出限制），无法处理', 'The PDF is too complex to process (objects, compressed data or processing time over the limit)', 'rejected'],
  PDF_ENCRYPTED: ['PDF 已加密，请上传未加密的文件', 'The PDF is encrypted; upload an unencrypted file'],
  PDF_NO_PAGES: ['PDF 文件没有页面', 'The PDF has no pages'],
  PDF_ALREADY_SIGNED: ['该 PDF 已包含数字签名，请上传未经签署的原始文件', 'The PDF already carries digital signatures; upload the unsigned original', 'rejected'],
  FIELD_NAME_TAKEN: ['PDF 中已有名为“签署方N”的表单域，与签署域冲突，请删除或重命名后再上传', 'The PDF already has a form field named like a signing field ("签署方N"); remove or rename it and upload again', 'rejected'],
  PDF_UNSUPPORTED_STRUCTURE: ['该 PDF 的结构不支持追加签名', 'This PDF structure does not support adding signatures', 'rejected'],
  PDF_ENGINE_BUSY: ['文件（文档、图片）处理繁忙，请稍后重试', 'File processing (documents and images) is busy; please retry shortly', 'unavailable'],
  POSITION_OUT_OF_PAGE: ['盖章位置超出页面范围', 'The seal position is outside the page'],
  PAGE_NOT_FOUND: ['盖章页码超出文件页数', 'The page does not exist'],
  RIDING_NO_PAGES: ['骑缝区间内没有符合骑缝规则（奇数页 / 偶数页）的页', 'The cross-page seal’s range has no page its rule (odd / even pages) selects'],
  TEXT_DOES_NOT_FIT: ['填写的内容超出模板中字段框的大小（缩小到 6 磅仍放不下），请精简内容', 'A filled-in text does not fit its box in the template even at 6 pt; shorten it', 'rejected'],
  TEXT_UNSUPPORTED_CHARACTER: ['填写的内容含有字体无法显示的字符', 'A filled-in text has characters the font cannot show', 'rejected'],
  INVALID_SEAL_TEXT: ['姓名无法生成签章（含不支持或不可见的字符，或过长）', 'The name cannot be rendered on a seal (unsupported or invisible characters, or too long)', 'rejected'],
  NOT_A_DOCX: ['文件不是有效的 Word 文档（.docx）', 'The file is not a Word document (.docx)', 'unsupported_media'],
  DOCX_TOO_COMPLEX: ['Word 文档过大或过于复杂（文件数、解压后大小、XML 大小或 XML 标签数超出限制），无法处理', 'The Word document is too large or too complex (entries, decoded size, XML size or XML tag count over the limit)', 'rejected'],
  DOCX_UNSAFE_CONTENT: ['Word 文档含有不允许的内容（外部链接的图片或对象、引用外部内容的域、DTD、嵌入的对象（OLE、ActiveX、图表数据）、宏、EPS 或 PDF 图片、含外部引用或脚本的 SVG 图片、PNG/JPEG/GIF/BMP/EMF/WMF 以外格式的图片如 TIFF），请删除或将图片另存为 PNG 后再上传', 'The Word document has content that is not allowed (externally linked images or objects, fields that include external content, a DTD, embedded objects (OLE, ActiveX, chart data), macros, EPS or PDF images, SVG images with external references or scripts, pictures in formats other than PNG/JPEG/GIF/BMP/EMF/WMF such as TIFF); remove it, or save the picture as PNG, and upload again', 'rejected'],
  DOCX_TEMPLATE_INVALID: ['Word 模板中的占位符格式不正确（仅支持 {字段名} 形式，且需成对闭合）', 'The Word template has a malformed or unsupported placeholder (only {field} placeholders are supported)', 'rejected'],
  DOCX_FILLED_TOO_LARGE: ['填写的内容使生成的文档超出大小限制，请精简填写的内容', 'The filled-in values make the document too large; shorten them', 'rejected'],
  INVALID_KEYWORD: ['定位关键字为空、过长或数量过多', 'A positioning keyword is empty or too long, or there are too many', 'rejected'],
  OFFICE_BUSY: ['文档转换繁忙，请稍后重试', 'Document conversion is busy; please retry shortly', 'unavailable'],
  OFFICE_UNAVAILABLE: ['文档转换服务暂不可用，请稍后重试', 'Document conversion is unavailable right now; please retry shortly', 'unavailable'],
  OFFICE_CONVERSION_FAILED: ['Word 文档无法转换为 PDF（文档损坏或转换超时）', 'The Word document could not be converted to PDF (corrupt document or conversion timed out)', 'rejected'],
};

/** Translates any error into `{error:{code,message,messageEn}}` with the right status. The one place errors meet HTTP. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof DocumentError) {
    const [zh, en, kind = 'validation'] = DOCUMENT_MESSAGES[err.code] ?? ['文件无法处理', 'The document cannot be processed'];
    return new AppError(kind, err.code, zh, en, kind === 'unavailable' ? { retryAfterSeconds: 2 } : undefined);
  }
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const where = first?.path.join('.') ?? '';
    // A rule that words its refusal in English too (params.messageEn, e.g. domain/text/safe-text.ts) is answered in its words.
    const ownEn = first?.code === 'custom' && typeof first.params?.messageEn === 'string' ? (first.params.messageEn as string) : null;
    return new AppError('validation', 'VALIDATION_FAILED', first?.message ?? '输入不正确', ownEn ?? `Invalid input${where ? `: ${where}` : ''}`, { issues: err.issues });
  }
  const clientError = clientErrorFrom(err);
  if (clientError) return clientError;
  // No database connection within the pool's wait (connection-pool.ts logged who held it): the statement did not run; retry.
  if (isConnectionWaitTimeout(err)) return unavailable('DATABASE_BUSY', '系统繁忙，请稍后重试', 'The system is busy; please retry shortly', 2);
  return new AppError('conflict', 'INTERNAL', '服务器内部错误，请稍后重试', 'Internal error; please retry');
}

/** The HTTP status of an error, as the API answers it. */
export function statusOf(appError: AppError): number {
  return appError.code === 'INTERNAL' ? 500 : STATUS[appError.kind];
}

/**
 * How the server log names a request: its route's pattern (`/signature-captures/:token`), never the
 * ids and link tokens of its path — a capture link's token is its only credential. A request that
 * matched no route is named by its path with every long segment masked.
 */
export function requestLabel(req: Pick<Request, 'method' | 'path'> & { route?: { path?: unknown } }): string {
  const pattern = typeof req.route?.path === 'string' ? req.route.path : req.path.replace(/[^/]{16,}/g, '…');
  return `${req.method} ${pattern}`;
}

/** JSON error answer for /api. Never a stack trace: the details go to the server log only. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) {
    // Too late for an error answer (e.g. a failing download stream): end the connection.
    console.error(`[api] ${requestLabel(req)} failed after the answer started`, err);
    req.socket.destroy();
    return;
  }
  // A body we refused without reading (401 before an upload): close rather than drain it.
  if (hasBody(req.headers) && !req.complete) res.setHeader('Connection', 'close');
  const appError = toAppError(err);
  if (appError.code === 'INTERNAL') {
    console.error(`[api] ${requestLabel(req)}`, err);
    res.status(500);
  } else {
    res.status(STATUS[appError.kind]);
  }
  if ((appError.kind === 'rate_limited' || appError.kind === 'unavailable') && typeof appError.details?.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(appError.details.retryAfterSeconds));
  res.json({ error: { code: appError.code, message: appError.message, messageEn: appError.messageEn } });
};
