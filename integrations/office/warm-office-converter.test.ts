/**
 * The warm converter's failure paths without LibreOffice (the real thing is in test/processes/word-engine.test.ts):
 * an office binary that is missing, or that starts but never accepts connections, must not leave callers waiting
 * forever nor processes running; each process runs under the configured memory limit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWarmOfficeConverter, liveProcessesInGroup } from './warm-office-converter';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-office-unit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const docx = new Uint8Array([0x50, 0x4b, 3, 4]);

describe('warm office converter: LibreOffice that cannot start', () => {
  it('a missing soffice binary: documents fail with OFFICE_UNAVAILABLE after three attempts, not hang', async () => {
    const c = createWarmOfficeConverter({ processes: 2, maxQueue: 4, timeoutMs: 5000, profileRoot: path.join(tmp, 'missing'), sofficePath: path.join(tmp, 'no-such-soffice') });
    const started = performance.now();
    await expect(c.toPdf(docx)).rejects.toMatchObject({ name: 'DocumentError', code: 'OFFICE_UNAVAILABLE' });
    expect(performance.now() - started).toBeLessThan(5000);
    await c.close();
  });

  it('a soffice that never accepts connections: start timeout, restarts, OFFICE_UNAVAILABLE; close() kills what it started', async () => {
    const fake = path.join(tmp, 'fake-soffice');
    fs.writeFileSync(fake, '#!/bin/sh\nsleep 300 &\nexec sleep 300\n', { mode: 0o755 }); // a child in the same group too
    const c = createWarmOfficeConverter({ processes: 1, maxQueue: 4, timeoutMs: 5000, startTimeoutMs: 400, profileRoot: path.join(tmp, 'fake'), sofficePath: fake });
    const pending = c.toPdf(docx);
    const seen = new Set<number>();
    const collect = setInterval(() => c.officeProcessGroups().forEach((g) => seen.add(g)), 20);
    await expect(pending).rejects.toMatchObject({ code: 'OFFICE_UNAVAILABLE' });
    clearInterval(collect);
    expect(c.stats().restarts).toBeGreaterThanOrEqual(3);
    await c.close();
    expect(seen.size).toBeGreaterThanOrEqual(1);
    for (const g of seen) expect(liveProcessesInGroup(g)).toEqual([]); // the killed groups, children included
    expect(fs.readdirSync(path.join(tmp, 'fake'))).toEqual([]);
    await expect(c.toPdf(docx)).rejects.toMatchObject({ code: 'OFFICE_UNAVAILABLE' });
  }, 30_000);

  it('each LibreOffice process runs under the memory limit (RLIMIT_AS, through prlimit), and with none when it is 0', async () => {
    const seen = path.join(tmp, 'limit-seen');
    const fake = path.join(tmp, 'limit-soffice');
    fs.writeFileSync(fake, `#!/bin/sh\nulimit -v >> ${seen}\nexec sleep 300\n`, { mode: 0o755 });
    for (const memoryLimitBytes of [512 * 1024 * 1024, 0]) {
      fs.rmSync(seen, { force: true });
      const c = createWarmOfficeConverter({ processes: 1, maxQueue: 1, timeoutMs: 5000, startTimeoutMs: 300, profileRoot: path.join(tmp, `limit-${memoryLimitBytes}`), sofficePath: fake, memoryLimitBytes });
      await expect(c.toPdf(docx)).rejects.toMatchObject({ code: 'OFFICE_UNAVAILABLE' });
      await c.close();
      const limits = new Set(fs.readFileSync(seen, 'utf8').trim().split('\n'));
      expect(limits).toEqual(new Set([memoryLimitBytes ? String(memoryLimitBytes / 1024) : 'unlimited']));
    }
  });
});
