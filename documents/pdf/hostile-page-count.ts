// Page-count bombs for tests and measurements (not shipped code paths): files that really have
// more pages than the upload limit, cheap to write and costly to parse in full.
import { deflateSync } from 'node:zlib';
import { rawPdf } from './hostile-pdfs';

const page = (parent: number) => `<< /Type /Page /Parent ${parent} 0 R /MediaBox [0 0 595 842] >>`;

/**
 * `pages` real pages under one flat page tree (/Count true), written with a classic
 * cross-reference table: object 1 the catalog, 2 the page tree, 3 … the pages. `padBytes` of
 * comment per page model real content that a full parse has to read through.
 */
export function manyPages(pages = 1500, padBytes = 400): Uint8Array {
  const pad = padBytes > 0 ? `\n%${'x'.repeat(padBytes)}` : '';
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`, ...Array.from({ length: pages }, () => page(2) + pad)]);
}

/**
 * The same pages with the catalog and the page tree inside a compressed object stream and a
 * cross-reference stream (PDF 1.5 style), as pdf-lib and most current writers save.
 */
export function manyPagesObjectStreams(pages = 1500): Uint8Array {
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets = new Map<number, number>();
  const put = (num: number, body: Buffer) => {
    offsets.set(num, offset);
    const chunk = Buffer.concat([Buffer.from(`${num} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(chunk);
    offset += chunk.length;
  };
  const stream = (dict: string, data: Buffer) => Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
  for (let i = 0; i < pages; i++) put(i + 3, Buffer.from(page(2), 'latin1'));
  // Object stream 3 + pages holds the catalog (1) and the page tree (2).
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`];
  const head = `1 0 2 ${objs[0]!.length + 1} `;
  const objStm = pages + 3;
  put(objStm, stream(`/Type /ObjStm /N 2 /First ${head.length} /Filter /FlateDecode`, deflateSync(Buffer.from(head + objs.join('\n'), 'latin1'))));
  const xrefNum = objStm + 1;
  const size = xrefNum + 1;
  const rows = Buffer.alloc(size * 6);
  for (let n = 0; n < size; n++) {
    const at = n * 6;
    if (n === 0) rows.writeUInt8(0, at);
    else if (n <= 2) {
      rows.writeUInt8(2, at);
      rows.writeUIntBE(objStm, at + 1, 4);
      rows.writeUInt8(n - 1, at + 5);
    } else if (n === xrefNum) {
      rows.writeUInt8(1, at);
      rows.writeUIntBE(offset, at + 1, 4);
    } else {
      rows.writeUInt8(1, at);
      rows.writeUIntBE(offsets.get(n)!, at + 1, 4);
    }
  }
  const xrefAt = offset;
  put(xrefNum, stream(`/Type /XRef /Size ${size} /W [1 4 1] /Root 1 0 R /Filter /FlateDecode`, deflateSync(rows)));
  chunks.push(Buffer.from(`startxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}
