/**
 * The simple converter's process limits without LibreOffice (the real conversion is in
 * test/processes/word-engine.test.ts): each soffice runs under the configured memory limit, with none when it is
 * 0, and a soffice that cannot be started is named in an OFFICE_UNAVAILABLE error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimpleOfficeConverter } from './simple-office-converter';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-simple-office-unit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const docx = new Uint8Array([0x50, 0x4b, 3, 4]);

/** A soffice that "converts" by writing a PDF whose body is its own address-space limit (`ulimit -v`). */
function limitReportingSoffice(): string {
  const fake = path.join(tmp, 'limit-soffice');
  // libreoffice-convert passes --outdir <dir> and the source path last; the output is <dir>/document.pdf.
  fs.writeFileSync(
    fake,
    '#!/bin/sh\nout=""\nwhile [ $# -gt 1 ]; do [ "$1" = "--outdir" ] && out="$2"; shift; done\nprintf "%%PDF-1.4\\n%s\\n" "$(ulimit -v)" > "$out/document.pdf"\n',
    { mode: 0o755 },
  );
  return fake;
}

describe('simple office converter: process limits', () => {
  it('each soffice runs under the memory limit (RLIMIT_AS through prlimit), the default one when none is given, and with none when it is 0', async () => {
    const sofficePath = limitReportingSoffice();
    const limitSeen = async (memoryLimitBytes?: number) => {
      const c = createSimpleOfficeConverter({ timeoutMs: 10_000, sofficePath, ...(memoryLimitBytes === undefined ? {} : { memoryLimitBytes }) });
      try {
        return Buffer.from(await c.toPdf(docx)).toString('latin1').split('\n')[1];
      } finally {
        await c.close();
      }
    };
    expect(await limitSeen(1536 * 1024 * 1024)).toBe(String(1536 * 1024));
    expect(await limitSeen()).toBe(String(3 * 1024 * 1024));
    expect(await limitSeen(0)).toBe('unlimited');
  });

  it('a soffice that does not exist: OFFICE_UNAVAILABLE naming it, not a conversion failure', async () => {
    const missing = path.join(tmp, 'no-such-soffice');
    const c = createSimpleOfficeConverter({ timeoutMs: 10_000, sofficePath: missing });
    await expect(c.toPdf(docx)).rejects.toMatchObject({ name: 'DocumentError', code: 'OFFICE_UNAVAILABLE', message: expect.stringContaining(missing) });
    await c.close();
  });
});
