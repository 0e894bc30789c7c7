// Shared fixtures for the document-engine tests (not shipped code paths).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, StandardFonts, degrees } from 'pdf-lib';
import { createLocalCertificateAuthority, type StoredCaMaterial } from '../../integrations/ca/local-ca';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { DocumentError } from '../errors';

export const A4: [number, number] = [595.28, 841.89];

export async function makePdf(opts: { pages?: number; useObjectStreams?: boolean; rotate?: number; title?: string } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(opts.title ?? 'SealFlow test contract');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (opts.pages ?? 3); i++) {
    const page = doc.addPage(A4);
    if (opts.rotate) page.setRotation(degrees(opts.rotate));
    page.drawText(`Contract page ${i + 1}: the parties agree to the terms below.`, { x: 50, y: 760, size: 14, font });
  }
  return doc.save({ useObjectStreams: opts.useObjectStreams ?? false });
}

export async function makeCa(name: string): Promise<CertificateAuthority> {
  let material: StoredCaMaterial | null = null;
  return createLocalCertificateAuthority({
    name,
    masterKey: `${name}-master-key`,
    store: { load: async () => material, save: async (m) => void (material ??= m) },
    keyBits: { root: 2048, issuing: 2048 },
  });
}

export async function makeSigner(ca: CertificateAuthority, commonName: string) {
  const issued = await ca.issueSigningCertificate({ commonName, country: 'CN' });
  return { certificatePem: issued.certificatePem, privateKeyPem: issued.privateKeyPem, chainPem: ca.chainPem() };
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'sealflow-doc-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs poppler's pdfsig with an NSS db trusting `rootPem`; returns stdout split per signature. */
export function pdfsig(pdf: Uint8Array, rootPem: string): { stdout: string; signatures: string[] } {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'root.pem'), rootPem);
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    const run = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      if (r.error) throw r.error;
      return r;
    };
    const db = `sql:${dir}`;
    if (run('certutil', ['-N', '--empty-password', '-d', db]).status !== 0) throw new Error('certutil -N failed');
    if (run('certutil', ['-A', '-t', 'C,C,C', '-n', 'root', '-i', join(dir, 'root.pem'), '-d', db]).status !== 0) throw new Error('certutil -A failed');
    const out = run('pdfsig', ['-nssdir', db, join(dir, 'doc.pdf')]);
    const stdout = out.stdout + out.stderr;
    return { stdout, signatures: stdout.split(/^Signature #\d+:$/m).slice(1) };
  });
}

export function qpdfCheck(pdf: Uint8Array): { ok: boolean; output: string } {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    const r = spawnSync('qpdf', ['--check', join(dir, 'doc.pdf')], { encoding: 'utf8' });
    return { ok: r.status === 0, output: r.stdout + r.stderr };
  });
}

export interface Raster {
  width: number;
  height: number;
  rgb: Buffer;
}

/** Renders one page with pdftoppm at 72 dpi (1 px = 1 pt) as a PPM and decodes it. */
export function renderPage(pdf: Uint8Array, page: number): Raster {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    const r = spawnSync('pdftoppm', ['-r', '72', '-f', String(page), '-l', String(page), join(dir, 'doc.pdf'), join(dir, 'p')]);
    if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
    const file = readdirSync(dir).find((f) => f.endsWith('.ppm'))!;
    const data = readFileSync(join(dir, file));
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 50).toString('latin1'))!;
    return { width: Number(header[1]), height: Number(header[2]), rgb: data.subarray(header[0].length) };
  });
}

/** Counts reddish pixels in a rectangle of a raster. */
export function redPixels(r: Raster, x0: number, y0: number, w: number, h: number): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(r.height, y0 + h); y++) {
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(r.width, x0 + w); x++) {
      const i = (y * r.width + x) * 3;
      if (r.rgb[i]! > 150 && r.rgb[i + 1]! < 100 && r.rgb[i + 2]! < 100) n++;
    }
  }
  return n;
}

/**
 * Every signature widget of the PDF (a /Widget annotation of a /Sig field of the AcroForm: the field
 * itself or one of its /Kids), in page order: its 1-based page (the page whose /Annots holds it) and
 * /Rect (PDF user space, bottom-left origin).
 */
export async function signatureWidgets(pdf: Uint8Array): Promise<{ page: number; rect: number[] }[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = acroForm?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const widgetRefs = new Set<string>();
  for (let i = 0; i < (fields?.size() ?? 0); i++) {
    const field = fields!.lookupMaybe(i, PDFDict);
    if (field?.get(PDFName.of('FT')) !== PDFName.of('Sig')) continue;
    const kids = field.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (let k = 0; k < kids.size(); k++) widgetRefs.add(String(kids.get(k)));
    else widgetRefs.add(String(fields!.get(i)));
  }
  const out: { page: number; rect: number[] }[] = [];
  doc.getPages().forEach((page, i) => {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (let k = 0; k < (annots?.size() ?? 0); k++) {
      if (!widgetRefs.has(String(annots!.get(k)))) continue;
      const annot = annots!.lookupMaybe(k, PDFDict);
      if (annot?.get(PDFName.of('Subtype')) !== PDFName.of('Widget')) continue;
      const rect = annot.lookupMaybe(PDFName.of('Rect'), PDFArray);
      out.push({ page: i + 1, rect: rect ? rect.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : NaN)) : [] });
    }
  });
  return out;
}

/** The DocumentError code `run` throws, or 'accepted' when it returns; any other error is thrown on. */
export function documentErrorCode(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof DocumentError) return err.code;
    throw err;
  }
  return 'accepted';
}
