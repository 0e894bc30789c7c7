import { describe, expect, it } from 'vitest';
import { redactSqlValues } from './redact-sql-values';

describe('redactSqlValues', () => {
  it('masks the values of a failed statement as knex puts it into the error message', () => {
    const message = "update `users` set `password_hash` = '$argon2id$v=19$m=19456,p=1,t=2$Bj$xy4R' where `id` = 'a9659dcd-1' - SQLITE_CONSTRAINT: simulated";
    expect(redactSqlValues(message)).toBe("update `users` set `password_hash` = '***' where `id` = '***' - SQLITE_CONSTRAINT: simulated");
  });

  it('masks inserts (quotes doubled or escaped inside, x-blobs) and keeps the other lines of a stack', () => {
    const stack = [
      "DriverException: insert into `sms_outbox` (`id`, `content`) values ('o1', '验证码 123456，It''s \\'yours\\''), (X'ABCD', 'two') - disk I/O error",
      '    at query (node_modules/knex/lib/execution/internal/query-executioner.js:39:12)',
    ].join('\n');
    expect(redactSqlValues(stack)).toBe(
      ["DriverException: insert into `sms_outbox` (`id`, `content`) values ('***', '***'), ('***', '***') - disk I/O error", '    at query (node_modules/knex/lib/execution/internal/query-executioner.js:39:12)'].join('\n'),
    );
  });

  it('leaves text without a statement as it is', () => {
    for (const text of ["contract c1: notice not sent: the gateway said 'busy'", 'select a seal from the list', '']) expect(redactSqlValues(text)).toBe(text);
    expect(redactSqlValues("select `code_hash` from `sms_challenges` where `subject` = 'contract:1'")).toBe("select `code_hash` from `sms_challenges` where `subject` = '***'");
  });
});
