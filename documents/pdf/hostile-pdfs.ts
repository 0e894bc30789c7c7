// Hostile PDFs for tests and measurements, built byte by byte (not shipped code paths).
// Each is a few KB to ~1 MB and, without budgets, stalls or exhausts the process that parses it.
import { constants, deflateRawSync, deflateSync } from 'node:zlib';

type Body = string | Buffer;

/**
 * Writes a PDF whose objects are `bodies` (object i+1 = bodies[i]) with a correct classic
 * cross-reference table; object 1 is the catalog.
 */
export function rawPdf(bodies: Body[], tail = ''): Uint8Array {
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(chunk);
    offset += chunk.length;
  });
  const xref = [`xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n${tail}`, 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}

const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';

/**
 * A page tree whose every node lists the same child twice: `depth` nodes, 2^depth pages for a
 * reader that walks it without a visit set. /Count claims 1, so a count check alone misses it.
 */
export function pageTreeBomb(depth = 24): Uint8Array {
  const bodies: Body[] = ['<< /Type /Catalog /Pages 2 0 R >>'];
  for (let level = 0; level < depth; level++) {
    const self = level + 2;
    const parent = level === 0 ? '' : ` /Parent ${self - 1} 0 R`;
    const kid = level === depth - 1 ? depth + 2 : self + 1;
    bodies.push(`<< /Type /Pages${parent} /Kids [${kid} 0 R ${kid} 0 R] /Count 1 >>`);
  }
  bodies.push(PAGE.replace('/Parent 2 0 R', `/Parent ${depth + 1} 0 R`));
  return rawPdf(bodies);
}

/** An AcroForm whose every field lists the same kid twice (2^depth visits without a visit set). */
export function fieldTreeBomb(depth = 30): Uint8Array {
  const first = 5;
  const bodies: Body[] = [
    `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [${first} 0 R] >> >>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    PAGE,
    'null',
  ];
  for (let level = 0; level < depth; level++) {
    const kid = first + level + 1;
    bodies.push(level === depth - 1 ? '<< /T (leaf) /FT /Tx /V (x) >>' : `<< /T (f${level}) /Kids [${kid} 0 R ${kid} 0 R] >>`);
  }
  bodies.push('<< /T (leaf) /FT /Tx /V (x) >>');
  return rawPdf(bodies);
}

/**
 * An object stream that inflates to `decodedBytes` (default 1 GiB) of spaces from about
 * decodedBytes/1000 bytes: 1 MiB blocks compressed once with a full flush (each block stands
 * alone), repeated, closed with a final empty block.
 */
export function flateBomb(decodedBytes = 1024 * 1024 * 1024): Uint8Array {
  const MiB = 1024 * 1024;
  const head = Buffer.from('4 0 ', 'latin1');
  const first = deflateRawSync(Buffer.concat([head, Buffer.from('<< /Bomb true >>'), Buffer.alloc(MiB - head.length - 16, 0x20)]), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const block = deflateRawSync(Buffer.alloc(MiB, 0x20), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const blocks = [first, ...Array.from({ length: Math.max(0, Math.ceil(decodedBytes / MiB) - 1) }, () => block)];
  const stream = Buffer.concat([Buffer.from([0x78, 0xda]), ...blocks, deflateRawSync(Buffer.alloc(0))]);
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    PAGE,
    'null',
    Buffer.concat([Buffer.from(`<< /Type /ObjStm /N 1 /First ${head.length} /Filter /FlateDecode /Length ${stream.length} >>\nstream\n`, 'latin1'), stream, Buffer.from('\nendstream', 'latin1')]),
  ]);
}

/** A cross-reference stream that claims hundreds of millions of entries in a few bytes. */
export function xrefStreamSizeBomb(size = 400_000_000): Uint8Array {
  const data = deflateSync(Buffer.from([1, 0, 0, 0]));
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    PAGE,
    Buffer.concat([Buffer.from(`<< /Type /XRef /Size ${size} /W [1 2 1] /Root 1 0 R /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]),
  ]);
}

/**
 * Appends `count` comment lines to a signed PDF, each with a distinct /ByteRange that points at
 * the real signature's /Contents, padded so hashing the file costs something. A raw scan for
 * /ByteRange checks (and hashes) each of them.
 */
export function byteRangeComments(signed: Uint8Array, count = 3000, padBytes = 1024 * 1024): Uint8Array {
  const text = Buffer.from(signed).toString('latin1');
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
  if (!m) throw new Error('byteRangeComments needs a signed PDF');
  const [l1, s2] = [Number(m[2]), Number(m[3])];
  const pad = `%${' '.repeat(Math.max(0, padBytes - 2))}\n`;
  const lines: string[] = [];
  const total = signed.length + pad.length + count * 64;
  for (let i = 0; i < count; i++) lines.push(`% /ByteRange [0 ${l1} ${s2} ${total - s2 - i - 1000}]`.padEnd(63, ' ') + '\n');
  return new Uint8Array(Buffer.concat([Buffer.from(signed), Buffer.from(pad + lines.join(''), 'latin1')]));
}

/** Arrays nested `depth` deep inside one object (recursive parsers overflow their stack). */
export function deepNesting(depth = 100_000): Uint8Array {
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE, `${'['.repeat(depth)}${']'.repeat(depth)}`]);
}

/**
 * Appends a hand-written incremental update (classic xref) to `pdf`: each object is written as
 * `N 0 obj <body> endobj`; `xrefOverrides` point xref entries at given offsets instead (to model
 * updates whose table disagrees with the objects they carry); `free` lists objects marked free.
 */
export function appendUpdate(
  pdf: Uint8Array,
  objects: { num: number; body: Body }[],
  options: { xrefOverrides?: Record<number, number>; free?: number[] } = {},
): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const prev = Number([...text.matchAll(/startxref\s+(\d+)/g)].at(-1)![1]);
  const root = [...text.matchAll(/\/Root\s+(\d+\s+\d+\s+R)/g)].at(-1)![1];
  const size = Math.max(...[...text.matchAll(/\/Size\s+(\d+)/g)].map((m) => Number(m[1])), ...objects.map((o) => o.num + 1));
  const chunks: Buffer[] = [Buffer.from('\n', 'latin1')];
  let offset = pdf.length + 1;
  const offsets = new Map<number, number>();
  for (const { num, body } of objects) {
    if (!offsets.has(num)) offsets.set(num, offset);
    const chunk = Buffer.concat([Buffer.from(`${num} 0 obj\n`, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(chunk);
    offset += chunk.length;
  }
  for (const [num, at] of Object.entries(options.xrefOverrides ?? {})) offsets.set(Number(num), at);
  const rows: [number, string][] = [...offsets.entries()].map(([num, at]) => [num, `${String(at).padStart(10, '0')} 00000 n \n`]);
  for (const num of options.free ?? []) rows.push([num, '0000000000 00001 f \n']);
  const xref = ['xref\n0 1\n0000000000 65535 f \n', ...rows.sort((a, b) => a[0] - b[0]).map(([num, row]) => `${num} 1\n${row}`)].join('');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${size} /Root ${root} /Prev ${prev} >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat([Buffer.from(pdf), ...chunks]));
}

/** One indirect object holding `count` direct values: numbers (`[0 0 …]`) or empty arrays (`[[] [] …]`). */
export function manyDirectValues(count = 2_000_000, kind: 'numbers' | 'arrays' = 'numbers'): Uint8Array {
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE, `[${(kind === 'numbers' ? '0 ' : '[]').repeat(count)}]`]);
}

/** The same inside a compressed object stream (a few KB on disk, within the decoded-bytes budget). */
export function manyValuesInObjectStream(count = 2_000_000): Uint8Array {
  const header = '4 0 ';
  const data = deflateSync(Buffer.from(`${header}[${'0 '.repeat(count)}]`, 'latin1'));
  const stream = Buffer.concat([Buffer.from(`<< /Type /ObjStm /N 1 /First ${header.length} /Length ${data.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE, stream]);
}

const ONE_PAGE = ['<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE];

/** A text field whose partial name (/T) is a hex string of `chars` characters: pdf-lib's decodeText overflowed the stack on 1,000,000. */
export function longFieldName(chars = 1_000_000): Uint8Array {
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>', ...ONE_PAGE, `<< /FT /Tx /T <${'61'.repeat(chars)}> >>`]);
}

/**
 * A signature field with a signature dictionary (a /ByteRange whose gap is no /Contents: the CMS is never
 * read) and `catalogEntry` as the catalog's /X: what the verifier's analysis walks (object-roles.ts) on
 * every signed file. `extra` objects follow as objects 6, 7…
 */
export function signedWith(catalogEntry: string, fieldName = '(Sig1)', extra: Body[] = []): Uint8Array {
  return rawPdf([
    `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> /X ${catalogEntry} >>`,
    ...ONE_PAGE,
    `<< /FT /Sig /T ${fieldName} /V 5 0 R >>`,
    '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 30] /Contents <3000> >>',
    ...extra,
  ]);
}

/**
 * `count` signature fields whose signature dictionaries share one /ByteRange and all have `contents` as their
 * /Contents hex string. The range's gap is the first dictionary's /Contents; with `span`, a `<span>` in the
 * page's content stream instead (data no parser reads, no hex-string limit applies to it).
 */
export function signaturesSharingOneRange(count: number, contents: string, span?: string): Uint8Array {
  const placeholder = '0 0000000000 0000000000 0000000000';
  const fields = Array.from({ length: count }, (_, i) => `${5 + 2 * i} 0 R`).join(' ');
  const stream = span === undefined ? '' : `<${span}>`;
  const bodies: Body[] = [
    `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [${fields}] /SigFlags 3 >> >>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  for (let i = 0; i < count; i++) {
    bodies.push(`<< /FT /Sig /T (S${i}) /V ${6 + 2 * i} 0 R >>`);
    bodies.push(`<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [${placeholder}] /Contents <${contents}> >>`);
  }
  const pdf = Buffer.from(rawPdf(bodies));
  const text = pdf.toString('latin1');
  const l1 = span === undefined ? text.indexOf(`/Contents <${contents}>`) + '/Contents '.length : text.indexOf(stream);
  const s2 = text.indexOf('>', l1) + 1;
  const range = `0 ${String(l1).padStart(10, '0')} ${String(s2).padStart(10, '0')} ${String(pdf.length - s2).padStart(10, '0')}`;
  return new Uint8Array(Buffer.from(text.replaceAll(placeholder, range), 'latin1'));
}
