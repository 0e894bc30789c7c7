/**
 * LibreOffice parses .docx files uploaded by users: neither it nor its UNO bridge may see the platform's secrets.
 * The environment it gets is allow-listed (config's `childProcessEnv`); checked on the function and on what a
 * spawned soffice / bridge actually receives, with every secret set in this process's environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { officeProcessEnv } from './office-profile';
import { createSimpleOfficeConverter } from './simple-office-converter';
import { createWarmOfficeConverter } from './warm-office-converter';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-office-env-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const docx = new Uint8Array([0x50, 0x4b, 3, 4]);

const SECRETS: Record<string, string> = {
  MASTER_KEY: 'master-key-0123456789-abcdefghijklmnop',
  DATABASE_URL: 'mysql://sealflow:db-password-4711@db.internal:3306/sealflow',
  SMS_HTTP_SECRET: 'sms-http-secret-0815',
  CA_SERVICE_API_KEY: 'ca-api-key-k'.padEnd(40, 'k'),
  CA_SERVICE_STAFF_PASSWORD: 'ca-staff-password-99',
  OPERATOR_PASSWORD: 'operator-password-77',
  // Not secrets the configuration knows, but nothing LibreOffice needs either.
  TEMPORAL_ADDRESS: 'temporal.internal:7233',
  AWS_SECRET_ACCESS_KEY: 'some-other-deployment-secret',
};
/** The secret values as they could show up, the database password alone included. */
const SECRET_VALUES = [...Object.values(SECRETS), 'db-password-4711'];

let saved: Record<string, string | undefined> = {};
beforeEach(() => {
  saved = Object.fromEntries(Object.keys(SECRETS).map((k) => [k, process.env[k]]));
  Object.assign(process.env, SECRETS);
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function expectNoSecrets(env: Record<string, string | undefined>): void {
  for (const name of Object.keys(SECRETS)) expect(env, name).not.toHaveProperty(name);
  const values = Object.entries(env).map(([k, v]) => `${k}=${v ?? ''}`);
  for (const secret of SECRET_VALUES) expect(values.filter((line) => line.includes(secret)), secret).toEqual([]);
}

/** `env -0` output of a process, as an object. */
function readEnvDump(file: string): Record<string, string> {
  const entries = fs.readFileSync(file, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

describe('the environment of LibreOffice processes', () => {
  it('holds none of the platform secrets, only what LibreOffice needs (PATH, the locale, fonts, headless)', () => {
    process.env.LANG = process.env.LANG ?? 'C.UTF-8';
    const env = officeProcessEnv();
    expectNoSecrets(env);
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.LANG).toBe(process.env.LANG);
    expect(env).toMatchObject({ SAL_USE_VCLPLUGIN: 'svp', EMF_PLUS_DISABLE: '1', FONTCONFIG_FILE: expect.stringMatching(/fonts\.conf$/) });
  });

  it('an allowed variable that carries a secret value is left out too', () => {
    const home = process.env.HOME;
    process.env.HOME = `/home/${SECRETS.MASTER_KEY}`;
    try {
      expect(officeProcessEnv()).not.toHaveProperty('HOME');
    } finally {
      process.env.HOME = home;
    }
  });

  it('the warm converter: what soffice and the UNO bridge receive', async () => {
    const officeSeen = path.join(tmp, 'warm-office.env');
    const bridgeSeen = path.join(tmp, 'warm-bridge.env');
    const soffice = path.join(tmp, 'env-soffice');
    const python = path.join(tmp, 'env-python');
    fs.writeFileSync(soffice, `#!/bin/sh\nenv -0 > ${officeSeen}\nexec sleep 300\n`, { mode: 0o755 });
    fs.writeFileSync(python, `#!/bin/sh\nenv -0 > ${bridgeSeen}\nexec sleep 300\n`, { mode: 0o755 });
    for (const memoryLimitBytes of [512 * 1024 * 1024, 0]) {
      fs.rmSync(officeSeen, { force: true });
      fs.rmSync(bridgeSeen, { force: true });
      const c = createWarmOfficeConverter({ processes: 1, maxQueue: 1, timeoutMs: 5000, startTimeoutMs: 300, profileRoot: path.join(tmp, `warm-${memoryLimitBytes}`), sofficePath: soffice, pythonPath: python, memoryLimitBytes });
      await expect(c.toPdf(docx)).rejects.toMatchObject({ code: 'OFFICE_UNAVAILABLE' });
      await c.close();
      for (const seen of [officeSeen, bridgeSeen]) {
        const env = readEnvDump(seen);
        expect(env.SAL_USE_VCLPLUGIN).toBe('svp');
        expectNoSecrets(env);
      }
    }
  }, 30_000);

  it('the simple converter: what soffice receives, under the memory limit and without one', async () => {
    const seen = path.join(tmp, 'simple-office.env');
    const soffice = path.join(tmp, 'env-simple-soffice');
    // libreoffice-convert passes --outdir <dir> and the source path last; the output is <dir>/document.pdf.
    fs.writeFileSync(soffice, `#!/bin/sh\nenv -0 > ${seen}\nout=""\nwhile [ $# -gt 1 ]; do [ "$1" = "--outdir" ] && out="$2"; shift; done\nprintf "%%PDF-1.4\\n" > "$out/document.pdf"\n`, { mode: 0o755 });
    for (const memoryLimitBytes of [512 * 1024 * 1024, 0]) {
      fs.rmSync(seen, { force: true });
      const c = createSimpleOfficeConverter({ timeoutMs: 10_000, sofficePath: soffice, memoryLimitBytes });
      try {
        await c.toPdf(docx);
      } finally {
        await c.close();
      }
      const env = readEnvDump(seen);
      expect(env.FONTCONFIG_FILE).toMatch(/fonts\.conf$/);
      expectNoSecrets(env);
    }
  });
});
