import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../documents/errors';
import { AppError } from '../domain/errors';
import { concurrentChange } from '../domain/persistence/concurrency';
import { asActivityFailure, classifyActivityError } from './activity-errors';

describe('activity failure classification (one place)', () => {
  it('business refusals become non-retryable failures carrying the user message in both languages', () => {
    const f = classifyActivityError(new AppError('rejected', 'WILLINGNESS_NOT_CONFIRMED', '意愿认证无效', 'Intent not confirmed')) as ApplicationFailure;
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f.nonRetryable).toBe(true);
    expect(f.type).toBe('WILLINGNESS_NOT_CONFIRMED');
    expect(f.details).toEqual([{ code: 'WILLINGNESS_NOT_CONFIRMED', message: '意愿认证无效', messageEn: 'Intent not confirmed' }]);
  });
  it('a lost race (CONCURRENT_CHANGE) is retryable under the activity’s retry policy, keeping its code and message for the answer once the attempts run out', () => {
    const f = classifyActivityError(concurrentChange()) as ApplicationFailure;
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f.nonRetryable).toBe(false);
    expect(f.type).toBe('CONCURRENT_CHANGE');
    expect(f.message).toBe('数据已被他人修改，请刷新后重试');
    expect(f.details).toEqual([{ code: 'CONCURRENT_CHANGE', message: '数据已被他人修改，请刷新后重试', messageEn: 'Someone else changed this at the same time; reload and retry' }]);
    // Other conflicts (a named unique rule) and 'unavailable' AppErrors stay permanent.
    expect(classifyActivityError(new AppError('conflict', 'SEAL_EXISTS', '印章已存在', 'The seal exists'))).toMatchObject({ type: 'SEAL_EXISTS', nonRetryable: true });
    expect(classifyActivityError(new AppError('unavailable', 'SMS_SEND_FAILED', '短信发送失败，请稍后重试', 'The text message could not be sent'))).toMatchObject({ type: 'SMS_SEND_FAILED', nonRetryable: true });
  });
  it('document errors are permanent too (they used to be retried forever), with a signing message', () => {
    const f = classifyActivityError(new DocumentError('INVALID_SEAL_TEXT', 'name contains U+200B')) as ApplicationFailure;
    expect(f.nonRetryable).toBe(true);
    expect(f.type).toBe('INVALID_SEAL_TEXT');
    const detail = f.details?.[0] as { message: string; messageEn: string };
    expect(detail.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(detail.messageEn).toMatch(/seal/);
    const unknown = classifyActivityError(new DocumentError('PDF_NO_PAGES', 'x')) as ApplicationFailure;
    expect(unknown.nonRetryable).toBe(true);
    expect((unknown.details?.[0] as { message: string }).message).toBe('合同文件无法签署，请联系发起方');
  });
  it('infrastructure errors and cancellations pass through unchanged (retried under the workflow’s bounded policy / reported as cancelled)', () => {
    const infra = new Error('connect ECONNREFUSED');
    expect(classifyActivityError(infra)).toBe(infra);
    const cancelled = new CancelledFailure('cancelled');
    expect(classifyActivityError(cancelled)).toBe(cancelled);
  });
  it('a database error keeps its statement’s values out of the history: same name, retryable, values masked', () => {
    const db = Object.assign(new Error("insert into `signing_certificates` (`id`, `private_key_encrypted`) values ('c1', 'v1:abcdef') - SQLITE_IOERR: disk I/O error"), { name: 'DriverException' });
    const failure = classifyActivityError(db) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect([failure.type, failure.nonRetryable, failure.message]).toEqual(['DriverException', false, "insert into `signing_certificates` (`id`, `private_key_encrypted`) values ('***', '***') - SQLITE_IOERR: disk I/O error"]);
  });

  it('…also when a value spans lines: an encrypted key inlined after a certificate PEM (SQLite inlines the line breaks)', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
    const db = Object.assign(new Error(`insert into \`signing_certificates\` (\`id\`, \`certificate_pem\`, \`private_key_encrypted\`) values ('c1', '${pem}', 'sfenc$v2$hkdf$IV$TAG$CT') - SQLITE_BUSY: database is locked`), { name: 'DriverException' });
    const failure = classifyActivityError(db) as ApplicationFailure;
    expect(failure.message).toBe("insert into `signing_certificates` (`id`, `certificate_pem`, `private_key_encrypted`) values ('***', '***', '***') - SQLITE_BUSY: database is locked");
    expect(failure.stack).not.toContain('sfenc$');
  });

  it('a full PDF-worker queue is load, not a document property: retried like infrastructure', () => {
    const busy = new DocumentError('PDF_ENGINE_BUSY', 'all workers busy');
    expect(classifyActivityError(busy)).toBe(busy);
  });
  it('LibreOffice busy or not running is load too; a document it cannot convert is permanent', () => {
    for (const code of ['OFFICE_BUSY', 'OFFICE_UNAVAILABLE'] as const) {
      const err = new DocumentError(code, 'x');
      expect(classifyActivityError(err)).toBe(err);
    }
    expect(classifyActivityError(new DocumentError('OFFICE_CONVERSION_FAILED', 'x'))).toMatchObject({ type: 'OFFICE_CONVERSION_FAILED', nonRetryable: true });
  });
  it('asActivityFailure applies it to what the work throws', async () => {
    await expect(asActivityFailure(async () => { throw new DocumentError('FIELD_NAME_TAKEN', 'x'); })).rejects.toMatchObject({ type: 'FIELD_NAME_TAKEN', nonRetryable: true });
    await expect(asActivityFailure(async () => 7)).resolves.toBe(7);
  });
});
