import { describe, expect, it } from 'vitest';
import { DocumentError, type DocumentErrorCode } from '../../documents/errors';
import { statusOf, toAppError } from './errors';

describe('Word engine errors over HTTP', () => {
  it.each<[DocumentErrorCode, number]>([
    ['NOT_A_DOCX', 415],
    ['DOCX_TOO_COMPLEX', 422],
    ['DOCX_UNSAFE_CONTENT', 422],
    ['DOCX_TEMPLATE_INVALID', 422],
    ['INVALID_KEYWORD', 422],
    ['OFFICE_CONVERSION_FAILED', 422],
    ['OFFICE_BUSY', 503],
    ['OFFICE_UNAVAILABLE', 503],
  ])('%s → %i with a zh-CN and an English message', (code, status) => {
    const err = toAppError(new DocumentError(code, 'internal detail'));
    expect(err.code).toBe(code);
    expect(statusOf(err)).toBe(status);
    expect(err.message).toMatch(/[\u4e00-\u9fff]/);
    expect(err.messageEn).toMatch(/^[\x20-\x7e]+$/);
    expect(err.message + err.messageEn).not.toContain('internal detail');
    if (status === 503) expect(err.details?.retryAfterSeconds).toBeGreaterThan(0);
  });
});
