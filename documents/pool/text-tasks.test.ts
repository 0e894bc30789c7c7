import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../errors';
import { rawPdf } from '../pdf/hostile-pdfs';
import { makePdf } from '../pdf/test-helpers';
import { closeDocumentWorkers } from './pdf-tasks';
import { drawTextFields } from './text-tasks';

afterAll(() => closeDocumentWorkers(0));

const text = (pdf: Uint8Array) => {
  const dir = mkdtempSync(join(tmpdir(), 'text-task-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    return spawnSync('pdftotext', [join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('drawTextFields in the document worker threads', () => {
  it('draws the text (the caller keeps its bytes) and reports refusals as DocumentErrors with their code', async () => {
    const pdf = await makePdf({ pages: 2 });
    const box = { page: 2, x: 50, y: 80, width: 300, height: 24, fontSize: 12, align: 'left' as const, multiline: false };
    const [a, b] = await Promise.all([drawTextFields(pdf, [{ ...box, text: '乙方名称：上海示例贸易有限公司' }]), drawTextFields(pdf, [{ ...box, text: '签订日期：2026年12月2日' }])]);
    expect(pdf.byteLength).toBeGreaterThan(0);
    expect(text(a!)).toContain('乙方名称：上海示例贸易有限公司');
    expect(text(b!)).toContain('签订日期：2026年12月2日');
    const err = await drawTextFields(pdf, [{ ...box, width: 20, label: '乙方名称', text: '上海示例贸易有限公司' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentError);
    expect((err as DocumentError).code).toBe('TEXT_DOES_NOT_FIT');
    expect((err as DocumentError).message).toContain('"乙方名称"');
  });

  it('a template whose page pdf-lib cannot draw on (/Contents /X) fails as PDF_CORRUPT across the thread boundary, not as a plain Error (retried as infrastructure)', async () => {
    const pdf = rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents /X >>']);
    const err = await drawTextFields(pdf, [{ page: 1, x: 50, y: 80, width: 300, height: 24, fontSize: 12, align: 'left', multiline: false, text: '乙方' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentError);
    expect((err as DocumentError).code).toBe('PDF_CORRUPT');
  });
});
