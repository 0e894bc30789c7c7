import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PNG_1X1_BASE64 } from './hostile-docx';
import { DocumentError } from '../errors';
import { readPicture } from './picture-parts';

const MiB = 1024 * 1024;
const pictureFormat = (name: string, data: Uint8Array) => readPicture(name, data, MiB)?.format ?? null;

const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const PNG = new Uint8Array(Buffer.from(PNG_1X1_BASE64, 'base64'));
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF');
const GIF = bytes('GIF89a', [1, 0, 1, 0, 0, 0, 0]);
const bmp = (dibHeaderSize: number, reserved = 0) => bytes('BM', [70, 0, 0, 0, reserved, 0, 0, 0, 54, 0, 0, 0, dibHeaderSize, 0, 0, 0], new Array(40).fill(0));
/** A BMP LibreOffice itself would take for one, but whose size field puts 0xD3 at byte 2 and which carries a MET field chain: MET is tested first. */
function bmpReadAsMet(): Uint8Array {
  const data = new Uint8Array(17000);
  data.set([0x42, 0x4d, 0xd3, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0]);
  for (const at of [16973, 16979, 16985]) data.set([0, 6, 0xd3], at);
  return data;
}
const XBM = '\n#define x_width 16\n#define x_height 16\nstatic char x_bits[] = { 0xf0 };\n';
function emf(): Uint8Array {
  const data = new Uint8Array(88);
  data.set([1, 0, 0, 0, 88, 0, 0, 0]);
  data.set(bytes(' EMF'), 40);
  return data;
}
const PLACEABLE_WMF = bytes([0xd7, 0xcd, 0xc6, 0x9a], new Array(18).fill(0), [1, 0, 9, 0, 0, 3]);
const STANDARD_WMF = bytes([1, 0, 9, 0, 0, 3, 0x40, 0, 0, 0]);

describe('readPicture: the allowed picture formats, by bytes (as LibreOffice detects them) and name agreeing', () => {
  it.each<[string, Uint8Array, string]>([
    ['media/image1.png', PNG, 'PNG'],
    ['media/image1.jpeg', JPEG, 'JPG'],
    ['media/image1.JPG', JPEG, 'JPG'],
    ['media/image1.gif', GIF, 'GIF'],
    ['media/image1.bmp', bmp(40), 'BMP'],
    ['media/image1.bmp', bmp(124), 'BMP'],
    ['media/image1.bmp', bmp(40, 1), 'BMP'],
    ['media/image1.emf', emf(), 'EMF'],
    ['media/image1.wmf', PLACEABLE_WMF, 'WMF'],
    ['media/image1.wmf', STANDARD_WMF, 'WMF'],
    ['media/image1.emz', new Uint8Array(gzipSync(emf())), 'EMF'],
    ['media/image1.wmz', new Uint8Array(gzipSync(PLACEABLE_WMF)), 'WMF'],
    ['media/image1.wmf', emf(), 'EMF'], // LibreOffice saves an EMF picture as .wmf
    ['media/image1.emf', PLACEABLE_WMF, 'WMF'],
  ])('%s → %s', (name, data, format) => {
    expect(pictureFormat(name, data)).toBe(format);
  });

  it.each<[string, string, Uint8Array]>([
    ['TIFF (little-endian)', 'media/image1.tif', bytes('II*', [0, 8, 0, 0, 0])],
    ['TIFF named .png', 'media/image1.png', bytes('MM', [0, 42, 0, 0, 0, 8])],
    ['PCX named .png', 'media/image1.png', bytes([0x0a, 5, 1, 8], new Array(124).fill(0))],
    ['a PNG named .tga (name and bytes must agree)', 'media/image1.tga', PNG],
    ['a PNG named .pct', 'media/image1.pct', PNG],
    ['a PNG with no extension', 'media/image1', PNG],
    ['a JPEG named .png', 'media/image1.png', JPEG],
    ['a PNG signature cut short', 'media/image1.png', PNG.subarray(0, 4)],
    ['"BM" with reserved bytes set and a V5 header (LibreOffice wants them zero, or a 12 or 40 byte header)', 'media/image1.bmp', bmp(124, 1)],
    ['a BMP that LibreOffice reads as MET (byte 2 is 0xD3, a field chain follows)', 'media/image1.bmp', bmpReadAsMet()],
    ['a WMF header of type 2 (LibreOffice knows only the placeable and the type 1 header)', 'media/image1.wmf', bytes([2, 0, 9, 0, 0, 3], XBM)],
    ['an EMF without its signature', 'media/image1.emf', new Uint8Array(88).fill(1, 0, 1)],
    ['an .emz holding a TIFF', 'media/image1.emz', new Uint8Array(gzipSync(bytes('II*', [0, 8, 0, 0, 0])))],
    ['an .emz holding a gzip of an EMF (one level only)', 'media/image1.emz', new Uint8Array(gzipSync(gzipSync(emf())))],
    ['an .emz that is not gzip', 'media/image1.emz', emf()],
    ['a broken gzip', 'media/image1.emz', bytes([0x1f, 0x8b, 8, 0], new Array(20).fill(0xff))],
    ['an empty part', 'media/image1.png', new Uint8Array(0)],
  ])('%s → not a picture', (_what, name, data) => {
    expect(pictureFormat(name, data)).toBeNull();
  });

  it('inflates a compressed metafile whole, within the budget: LibreOffice is given the metafile (it would inflate it with no bound)', () => {
    const picture = readPicture('media/image1.emz', new Uint8Array(gzipSync(emf())), MiB);
    expect(picture?.format).toBe('EMF');
    expect(Buffer.from(picture!.bytes).equals(Buffer.from(emf()))).toBe(true);
    // 1 KB of gzip that inflates to 64 MiB: refused at the budget, not inflated whole.
    const big = Buffer.alloc(64 * MiB);
    emf().forEach((b, i) => (big[i] = b));
    const bomb = new Uint8Array(gzipSync(big, { level: 9 }));
    let code: string | undefined;
    try {
      readPicture('media/image1.emz', bomb, MiB);
    } catch (err) {
      code = (err as DocumentError).code;
    }
    expect(code).toBe('DOCX_TOO_COMPLEX');
  });
});
