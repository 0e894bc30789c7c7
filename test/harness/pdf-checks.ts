/**
 * Checks of a signed PDF with poppler's command-line tools: the signatures `pdfsig` reports
 * (signer common name, valid or not) and pages rendered by `pdftoppm` at 72 dpi (1 pixel = 1 pt)
 * to count red pixels in a region — where a 骑缝章 strip must (or must not) be.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../../bootstrap/services';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';

export interface PdfsigSignature {
  signer: string;
  valid: boolean;
}

/** The bytes of a contract's current document version (the latest signed one). */
export async function currentDocument(services: Services, contractId: string): Promise<Uint8Array> {
  const em = services.orm.em.fork();
  const contract = await em.findOneOrFail(ContractSchema, { id: contractId });
  const version = await em.findOneOrFail(DocumentVersionSchema, { contractId, version: contract.documentVersion });
  return services.store.get(version.storageKey);
}

/** The signatures `pdfsig` finds in the file, in order. */
export function pdfsigSignatures(bytes: Uint8Array): PdfsigSignature[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-pdfsig-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, bytes);
    let out: string;
    try {
      out = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? ''); // pdfsig exits non-zero when a certificate is not trusted
    }
    return out
      .split(/^Signature #\d+:$/m)
      .slice(1)
      .map((block) => ({ signer: /Signer Certificate Common Name: (.*)$/m.exec(block)?.[1]?.trim() ?? '', valid: /Signature Validation: Signature is Valid\./.test(block) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One rendered page: RGB pixels, `width` × `height` (72 dpi: pixels are points from the top-left). */
export interface RenderedPage {
  width: number;
  height: number;
  rgb: Buffer;
}

/** Parses a binary PPM (P6, maxval 255). */
function parsePpm(data: Buffer): RenderedPage {
  let pos = 0;
  const token = () => {
    while (/\s/.test(String.fromCharCode(data[pos]!))) pos++;
    const start = pos;
    while (!/\s/.test(String.fromCharCode(data[pos]!))) pos++;
    return data.subarray(start, pos).toString('ascii');
  };
  if (token() !== 'P6') throw new Error('not a binary PPM');
  const width = Number(token());
  const height = Number(token());
  if (Number(token()) !== 255) throw new Error('unexpected PPM maxval');
  pos++; // the single whitespace after maxval
  return { width, height, rgb: data.subarray(pos, pos + width * height * 3) };
}

/** Every page of the PDF rendered at 72 dpi, page 1 first. */
export function renderPages(bytes: Uint8Array): RenderedPage[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-ppm-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, bytes);
    execFileSync('pdftoppm', ['-r', '72', file, path.join(dir, 'page')]);
    const names = fs.readdirSync(dir).filter((n) => n.endsWith('.ppm'));
    const num = (n: string) => Number(/-(\d+)\.ppm$/.exec(n)?.[1]);
    return names.sort((a, b) => num(a) - num(b)).map((n) => parsePpm(fs.readFileSync(path.join(dir, n))));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Red pixels (seal ink: strong red, little green and blue) in the box, in pixels = points. */
export function redPixels(page: RenderedPage, box: { x: number; y: number; width: number; height: number }): number {
  let n = 0;
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(page.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(page.height, Math.ceil(box.y + box.height));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * page.width + x) * 3;
      const r = page.rgb[i]!;
      const g = page.rgb[i + 1]!;
      const b = page.rgb[i + 2]!;
      if (r > 150 && g < 110 && b < 110) n++;
    }
  }
  return n;
}
