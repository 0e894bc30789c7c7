import { inspect } from 'node:util';
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

  it("masks the value MySQL's own error text quotes (a duplicate entry, an incorrect value), also in an inspected error object", () => {
    const err = Object.assign(new Error("Duplicate entry '13800000001' for key 'users_mobile_unique'"), {
      code: 'ER_DUP_ENTRY',
      sqlMessage: "Duplicate entry '13800000001' for key 'users_mobile_unique'",
    });
    const text = redactSqlValues(inspect(err));
    expect(text).not.toContain('13800000001');
    expect(text).toContain('ER_DUP_ENTRY');
    expect(redactSqlValues("Incorrect integer value: '110105194912310021' for column 'x' at row 1")).not.toContain('110105194912310021');
  });
  it('masks the other forms of write statements: insert ignore / insert or … into, update … as alias set, update or ignore', () => {
    for (const [statement, masked] of [
      ["insert ignore into `notifications` (`id`, `body`) values ('n1', '验证码 123456')", "insert ignore into `notifications` (`id`, `body`) values ('***', '***')"],
      ["INSERT OR IGNORE INTO sms_outbox (id, content) VALUES ('o1', 'secret')", "INSERT OR IGNORE INTO sms_outbox (id, content) VALUES ('***', '***')"],
      ["insert or replace into t (a) values ('x')", "insert or replace into t (a) values ('***')"],
      ["update `users` as `u0` set `u0`.`password_hash` = 'h' where `u0`.`id` = 'u1'", "update `users` as `u0` set `u0`.`password_hash` = '***' where `u0`.`id` = '***'"],
      ["update users u set password_hash = 'h'", "update users u set password_hash = '***'"],
      ["UPDATE OR IGNORE users SET mobile = '13800000000'", "UPDATE OR IGNORE users SET mobile = '***'"],
    ]) expect(redactSqlValues(`DriverException: ${statement} - failed`)).toBe(`DriverException: ${masked} - failed`);
  });

  it('leaves text without a statement as it is', () => {
    for (const text of ["contract c1: notice not sent: the gateway said 'busy'", 'select a seal from the list', '']) expect(redactSqlValues(text)).toBe(text);
    expect(redactSqlValues("select `code_hash` from `sms_challenges` where `subject` = 'contract:1'")).toBe("select `code_hash` from `sms_challenges` where `subject` = '***'");
  });
});

describe('redactSqlValues: values that span lines', () => {
  it('masks a value written after a multi-line one (a PEM, then the encrypted key), as SQLite inlines them', () => {
    const message = [
      "insert into `signing_certificates` (`id`, `certificate_pem`, `private_key_encrypted`, `status`) values ('c1', '-----BEGIN CERTIFICATE-----",
      'MIIBszCCAVmgAwIBAgIU',
      "-----END CERTIFICATE-----', 'sfenc$v2$hkdf-sha256:data$IV$TAG$CT', 'active') - SQLITE_BUSY: database is locked",
      '    at Statement.run (node_modules/libsql/index.js:326:1)',
      "next line: it's not SQL",
    ].join('\n');
    const redacted = redactSqlValues(message);
    expect(redacted).not.toContain('sfenc$');
    expect(redacted).not.toContain('MIIBszCCAVmgAwIBAgIU');
    expect(redacted).toBe(
      [
        "insert into `signing_certificates` (`id`, `certificate_pem`, `private_key_encrypted`, `status`) values ('***', '***', '***', '***') - SQLITE_BUSY: database is locked",
        '    at Statement.run (node_modules/libsql/index.js:326:1)',
        "next line: it's not SQL",
      ].join('\n'),
    );
  });

  it('masks an unclosed literal to the end, and every statement of the text', () => {
    expect(redactSqlValues("update `ca_material` set `root_key_encrypted` = 'sfenc$v2$cut\nmore")).toBe("update `ca_material` set `root_key_encrypted` = '***");
    expect(redactSqlValues("delete from `a` where `x` = 'one'\nplain 'kept'\nselect `y` from `b` where `z` = 'two'")).toBe("delete from `a` where `x` = '***'\nplain 'kept'\nselect `y` from `b` where `z` = '***'");
  });
});

describe('redactSqlValues: both quoting styles, and its cost', () => {
  it('a SQLite value ending in a backslash does not put the next value outside the quotes', () => {
    // SQLite leaves a backslash as it is: read the MySQL way alone, 'C:\' would not close.
    const message = "insert into `certificate_orders` (`note`, `private_key_encrypted`) values ('C:\\', 'sfenc$v2$secret') - SQLITE_BUSY: database is locked";
    expect(redactSqlValues(message)).not.toContain('sfenc$');
  });

  it('a MySQL escaped quote stays inside its literal', () => {
    const message = "update `users` set `name` = 'O\\'Brien', `password_hash` = '$argon2id$secret' where `id` = 'u1' - ER_LOCK_DEADLOCK";
    const redacted = redactSqlValues(message);
    expect(redacted).not.toContain('argon2id');
    expect(redacted).not.toContain('Brien');
    expect(redacted).toContain('ER_LOCK_DEADLOCK');
  });

  it('is linear: many lines that start a select with no from, and many statements', () => {
    const selects = "select 'x' and more\n".repeat(20_000) + 'from here';
    const statements = "update `t` set `a` = 'v' where `id` = '1'\n".repeat(20_000);
    const t0 = performance.now();
    redactSqlValues(selects);
    const masked = redactSqlValues(statements);
    expect(performance.now() - t0).toBeLessThan(5000); // quadratic: minutes
    expect(masked).not.toContain("'v'");
  });
});
