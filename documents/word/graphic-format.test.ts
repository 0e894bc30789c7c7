import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDocxEntries } from './docx-archive';
import { detectGraphicFormat, type GraphicFormat } from './graphic-format';
import { PNG_1X1_BASE64 } from './hostile-docx';

/** Bytes from byte arrays and latin-1 strings. */
const bytes = (...parts: (number[] | string)[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));
/** `text` at `offset` of `length` bytes of spaces that start with `prefix`. */
function placed(prefix: string, offset: number, text: string, length = offset + text.length): Uint8Array {
  const data = new Uint8Array(length).fill(0x20);
  data.set(Buffer.from(prefix, 'latin1'));
  data.set(Buffer.from(text, 'latin1'), offset);
  return data;
}
const emf = () => placed('\x01\x00\x00\x00', 40, ' EMF', 88);
const XBM = '#define x_width 16\n#define x_height 16\nstatic char x_bits[] = { 0xf0 };\n';

describe('detectGraphicFormat: the image format LibreOffice detects, in its order', () => {
  it.each<[string, Uint8Array, GraphicFormat]>([
    ['PNG', new Uint8Array(Buffer.from(PNG_1X1_BASE64, 'base64')), 'PNG'],
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xdb, 0, 0x43]), 'JPG'],
    ['GIF', bytes('GIF87a', [1, 0, 1, 0]), 'GIF'],
    ['BMP', bytes('BM', [70, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0]), 'BMP'],
    ['an OS/2 bitmap array', bytes('BA', new Array(12).fill(1), 'BM', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 12]), 'BMP'],
    ['EMF', emf(), 'EMF'],
    ['placeable WMF', bytes([0xd7, 0xcd, 0xc6, 0x9a, 0, 0]), 'WMF'],
    ['WMF type 1', bytes([1, 0, 9, 0, 0, 3]), 'WMF'],
    ['TIFF', bytes('II*', [0]), 'TIF'],
    ['PCX', bytes([0x0a, 5, 1, 8]), 'PCX'],
    ['MET: a field chain with byte 2 0xD3', bytes([0, 6, 0xd3, 0, 0, 0, 0, 6, 0xd3, 0, 0, 0, 0, 6, 0xd3, 0, 0, 0, 0, 6, 0xd3, 0, 0, 0]), 'MET'],
    ['PCD_IPI at 2048', placed('', 2048, 'PCD_IPI'), 'PCD'],
    ['PSD', bytes('8BPS', [0, 1, 0, 0]), 'PSD'],
    ['EPS (binary header)', bytes([0xc5, 0xd0, 0xd3, 0xc6]), 'EPS'],
    ['EPS within the first 30 bytes', placed('<a>', 3, '%!PS-Adobe-3.0 EPSF-3.0'), 'EPS'],
    ['ASCII DXF', bytes('  0\n SECTION\n'), 'DXF'],
    ['PICT version 2 at 512 (as in MS documents)', placed('', 512, '\x00\x00\x00\x00\x00\x00\x00\x0a\x00\x0a\x00\x11\x02', 600), 'PCT'],
    ['PBM', bytes('P4\n1 1\n'), 'PBM'],
    ['RAS', bytes([0x59, 0xa6, 0x6a, 0x95]), 'RAS'],
    ['XPM mark within the first 256 bytes', placed('<a>', 100, '/* XPM */'), 'XPM'],
    ['XBM within the first 2048 bytes', placed('<a>', 1500, XBM), 'XBM'],
    ['SVG element within the first 2048 bytes', placed('<?xml version="1.0"?><!-- -->', 1800, '<svg xmlns="http://www.w3.org/2000/svg"/>'), 'SVG'],
    ['TGA footer', placed('', 100, 'TRUEVISION-XFILE.\0'), 'TGA'],
    ['PDF', bytes('%PDF-1.7\n'), 'PDF'],
    ['WEBP', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'WEBP'],
  ])('%s → %s', (_what, data, format) => {
    expect(detectGraphicFormat(data)).toBe(format);
  });

  it('takes the first format in LibreOffice\'s order: a BMP with a MET field chain is MET, a type-2 WMF carrying XBM text is XBM', () => {
    const bmpMet = new Uint8Array(17000);
    bmpMet.set([0x42, 0x4d, 0xd3, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0]);
    for (const at of [16973, 16979, 16985]) bmpMet.set([0, 6, 0xd3], at);
    expect(detectGraphicFormat(bmpMet)).toBe('MET');
    expect(detectGraphicFormat(bytes([2, 0, 9, 0, 0, 3], XBM))).toBe('XBM');
  });

  it.each<[string, Uint8Array]>([
    ['empty', new Uint8Array(0)],
    ['XPM mark past the first 256 bytes', placed('<a>', 300, '/* XPM */')],
    ['XBM past the first 2048 bytes', placed('<a>', 2100, XBM)],
    ['_width before #define', placed('<a>', 10, '_width #define')],
    ['%!PS-Adobe past the first 30 bytes', placed('<a>', 40, '%!PS-Adobe-3.0 EPSF-3.0')],
    ['a MET-looking byte 2 without the field chain', bytes([0x3c, 0x61, 0xd3, 0x80, 0x3e])],
  ])('%s → nothing', (_what, data) => {
    expect(detectGraphicFormat(data)).toBeNull();
  });

  it('every XML part of a template Word wrote is no image to it', () => {
    const docx = new Uint8Array(fs.readFileSync(new URL('../../templates/demo/purchase-contract.docx', import.meta.url)));
    const parts = readDocxEntries(docx);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(detectGraphicFormat(part.data), part.name).toBeNull();
  });
});
