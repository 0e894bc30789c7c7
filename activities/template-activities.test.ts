import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../documents';
import { AppError, rejected } from '../domain/errors';
import { classifyGenerationError } from './template-activities';

const detailOf = (err: unknown) => (err as ApplicationFailure).details?.[0];

describe('classifyGenerationError (template generation activity)', () => {
  it('a business error is permanent and keeps its kind (422 keyword missing, 409 template changed)', () => {
    const keyword = classifyGenerationError(rejected('TEMPLATE_KEYWORD_MISSING', '角色「甲方」的定位关键字「甲方（盖章）：」在生成的文件中未找到', 'Role "甲方": keyword not found'));
    expect(keyword).toBeInstanceOf(ApplicationFailure);
    expect((keyword as ApplicationFailure).nonRetryable).toBe(true);
    expect(detailOf(keyword)).toEqual({ code: 'TEMPLATE_KEYWORD_MISSING', message: '角色「甲方」的定位关键字「甲方（盖章）：」在生成的文件中未找到', messageEn: 'Role "甲方": keyword not found', kind: 'rejected' });
    const changed = classifyGenerationError(new AppError('conflict', 'TEMPLATE_CHANGED', '模板已被修改', 'changed'));
    expect(detailOf(changed)).toMatchObject({ code: 'TEMPLATE_CHANGED', kind: 'conflict' });
  });

  it('a document error of the template (text that does not fit, a failed conversion) is permanent and flagged for the API mapping', () => {
    for (const code of ['TEXT_DOES_NOT_FIT', 'OFFICE_CONVERSION_FAILED', 'DOCX_UNSAFE_CONTENT'] as const) {
      const failure = classifyGenerationError(new DocumentError(code, 'x'));
      expect((failure as ApplicationFailure).nonRetryable, code).toBe(true);
      expect(detailOf(failure), code).toMatchObject({ code, kind: 'rejected', document: true });
    }
  });

  it('LibreOffice busy or unavailable, and plain infrastructure errors, are thrown as they are (retried by the workflow)', () => {
    for (const err of [new DocumentError('OFFICE_BUSY', 'busy'), new DocumentError('OFFICE_UNAVAILABLE', 'down'), new DocumentError('PDF_ENGINE_BUSY', 'busy'), new Error('ECONNRESET')]) {
      expect(classifyGenerationError(err)).toBe(err);
    }
  });
});
