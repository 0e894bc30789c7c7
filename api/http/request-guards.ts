import type { IncomingHttpHeaders } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../../domain/errors';

/**
 * Checks on the raw request that need no body: a malformed URL, a compressed body or a body of
 * the wrong type is the client's mistake (400/415), never a 500 further down.
 */

const badUrl = () => new AppError('validation', 'BAD_URL', '请求地址格式不正确', 'Malformed request URL');
const nulCharacter = () => new AppError('validation', 'NUL_CHARACTER', '请求包含非法字符（NUL）', 'The request contains a NUL character');

function decodes(text: string, plusIsSpace: boolean): boolean {
  try {
    decodeURIComponent(plusIsSpace ? text.replace(/\+/g, ' ') : text);
    return true;
  } catch {
    return false;
  }
}

/** The request line's path and query: valid percent-encoding and no NUL, encoded or raw. */
export function checkRequestUrl(url: string): void {
  if (url.includes('\u0000') || /%00/i.test(url)) throw nulCharacter();
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  if (!decodes(pathname, false)) throw badUrl();
  if (q !== -1) {
    for (const pair of url.slice(q + 1).split('&')) {
      for (const part of pair.split('=')) if (!decodes(part, true)) throw badUrl();
    }
  }
}

export const rejectMalformedUrls: RequestHandler = (req, _res, next) => {
  checkRequestUrl(req.originalUrl ?? req.url);
  next();
};

/** True when the request carries a body (chunked or a non-zero Content-Length). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/** Compressed request bodies are refused (415): they would be inflated before any size check. */
export const rejectCompressedBodies: RequestHandler = (req, _res, next) => {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    throw new AppError('unsupported_media', 'UNSUPPORTED_ENCODING', '不支持压缩的请求内容', 'Compressed request bodies are not supported');
  }
  next();
};

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * A request that changes something never comes from another site's page: browsers mark such a request
 * `Sec-Fetch-Site: cross-site` (a form posted from elsewhere, even without a body — a cross-site logout). Same-site
 * pages, our own pages and clients that are not browsers (no such header) are unaffected. 403 before anything runs.
 */
export function checkNotCrossSite(req: Request): void {
  if (req.method === 'GET' || req.method === 'HEAD') return;
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    throw new AppError('forbidden', 'CROSS_SITE_REQUEST', '请求来源不是本站页面，已拒绝', 'The request did not come from this site; refused');
  }
}

/** A body must be JSON (or, for upload routes, multipart/form-data): anything else is 415. */
export function checkBodyType(req: Request, kind: 'json' | 'multipart'): void {
  if (!hasBody(req.headers)) return;
  const type = mediaType(req);
  const ok = type === (kind === 'json' ? 'application/json' : 'multipart/form-data');
  if (!ok) {
    throw kind === 'json'
      ? new AppError('unsupported_media', 'UNSUPPORTED_CONTENT_TYPE', '请求内容须为 JSON（Content-Type: application/json）', 'The request body must be JSON (Content-Type: application/json)')
      : new AppError('unsupported_media', 'UNSUPPORTED_CONTENT_TYPE', '请以 multipart/form-data 上传文件', 'Upload the file as multipart/form-data');
  }
}

/** Refuses NUL characters anywhere in a parsed JSON body (keys and string values). */
export function checkNoNul(value: unknown, depth = 0): void {
  if (depth > 64) throw new AppError('validation', 'BODY_TOO_DEEP', '请求内容嵌套过深', 'The request body is nested too deeply');
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw nulCharacter();
  } else if (Array.isArray(value)) {
    for (const item of value) checkNoNul(item, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) throw nulCharacter();
      checkNoNul(item, depth + 1);
    }
  }
}
