import { describe, expect, it } from 'vitest';
import { rawPdf } from './hostile-pdfs';
import { parsedValues } from './interned-values';
import { loadPdf } from './safe-load';

const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';

/** Values counted while `load` runs. */
async function counted(load: () => Promise<unknown>): Promise<number> {
  const before = parsedValues();
  await load();
  return parsedValues() - before;
}

describe('parsedValues: an upper bound on what pdf-lib interned for good', () => {
  it('counts the keys of a dictionary as well as its values (pdf-lib reads keys without parseObject)', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `/k${i} 1`).join(' ');
    const pdf = rawPdf([`<< /Type /Catalog /Pages 2 0 R /X << ${keys} >> >>`, PAGES, PAGE]);
    expect(await counted(() => loadPdf(pdf))).toBeGreaterThanOrEqual(20_000);
  });

  it('counts every cross-reference entry (pdf-lib interns a reference for each, free ones too)', async () => {
    const body = rawPdf([`<< /Type /Catalog /Pages 2 0 R >>`, PAGES, PAGE]);
    // The same file with 50,000 more free entries in its table.
    const text = Buffer.from(body).toString('latin1').replace(/xref\n0 4\n/, `xref\n0 ${4 + 50_000}\n`).replace('trailer', `${'0000000000 00001 f \n'.repeat(50_000)}trailer`);
    expect(await counted(() => loadPdf(new Uint8Array(Buffer.from(text, 'latin1'))))).toBeGreaterThanOrEqual(50_000);
  });
});
