import { describe, expect, it } from 'vitest';
import { emfOf, PNG_1X1_BASE64, pngHeader } from './hostile-docx';
import { declaredSizes } from './picture-size';

const be16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));


function jpeg(...frames: [number, number, number][]): Uint8Array {
  const bytes = [0xff, 0xd8, 0xff, 0xe0, ...be16(16), ...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  for (const [marker, width, height] of frames) {
    bytes.push(0xff, marker, ...be16(11), 8, ...be16(height), ...be16(width), 1, 1, 0x11, 0);
    // A scan: its header, entropy-coded data with a stuffed 0xFF 0x00 and a restart marker.
    bytes.push(0xff, 0xda, ...be16(8), 1, 1, 0, 0, 0x3f, 0, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56);
  }
  return new Uint8Array([...bytes, 0xff, 0xd9]);
}

function gif(screen: [number, number], images: [number, number][]): Uint8Array {
  const bytes = [...ascii('GIF89a'), ...le16(screen[0]), ...le16(screen[1]), 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]; // a 2-colour global table
  bytes.push(0x21, 0xf9, 4, 0, 0, 0, 0, 0); // graphic control extension
  for (const [w, h] of images) bytes.push(0x2c, 0, 0, 0, 0, ...le16(w), ...le16(h), 0, 2, 2, 0x4c, 0x01, 0);
  return new Uint8Array([...bytes, 0x3b]);
}

describe('declaredSizes: the pixel sizes a picture declares, from its headers', () => {
  it('PNG: IHDR', () => {
    expect(declaredSizes('PNG', new Uint8Array(Buffer.from(PNG_1X1_BASE64, 'base64')))).toEqual([{ width: 1, height: 1 }]);
    expect(declaredSizes('PNG', pngHeader(30_000, 30_000))).toEqual([{ width: 30_000, height: 30_000 }]);
  });

  it('JPEG: every frame header, also after entropy-coded data (baseline, progressive, a height given later counted as 65535)', () => {
    expect(declaredSizes('JPG', jpeg([0xc0, 640, 480]))).toEqual([{ width: 640, height: 480 }]);
    expect(declaredSizes('JPG', jpeg([0xc2, 100, 50], [0xc1, 20_000, 30_000]))).toEqual([
      { width: 100, height: 50 },
      { width: 20_000, height: 30_000 },
    ]);
    expect(declaredSizes('JPG', jpeg([0xc0, 10, 0]))).toEqual([{ width: 10, height: 0xffff }]);
  });

  it('GIF: the logical screen and every image', () => {
    expect(declaredSizes('GIF', gif([10, 10], [[10, 10], [60_000, 60_000]]))).toEqual([
      { width: 10, height: 10 },
      { width: 10, height: 10 },
      { width: 60_000, height: 60_000 },
    ]);
  });

  it('BMP: the info header (a negative height is a top-down bitmap), the OS/2 core header', () => {
    const info = new Uint8Array([...ascii('BM'), ...le32(0), 0, 0, 0, 0, ...le32(54), ...le32(40), ...le32(25_000), ...le32(-25_000), 1, 0, 8, 0]);
    expect(declaredSizes('BMP', info)).toEqual([{ width: 25_000, height: 25_000 }]);
    const core = new Uint8Array([...ascii('BM'), ...le32(0), 0, 0, 0, 0, ...le32(26), ...le32(12), ...le16(300), ...le16(200), 1, 0, 24, 0]);
    expect(declaredSizes('BMP', core)).toEqual([{ width: 300, height: 200 }]);
  });

  /** An EMR_STRETCHDIBITS record whose BITMAPINFOHEADER (at offset 80) declares `width` × `height`, RLE8. */
  function stretchDibits(width: number, height: number): Buffer {
    const record = Buffer.alloc(80 + 40);
    record.writeUInt32LE(81, 0);
    record.writeUInt32LE(record.length, 4);
    record.writeUInt32LE(80, 48); // offBmiSrc
    record.writeUInt32LE(40, 52); // cbBmiSrc
    record.writeUInt32LE(40, 80);
    record.writeInt32LE(width, 84);
    record.writeInt32LE(-height, 88);
    record.writeUInt16LE(1, 92);
    record.writeUInt16LE(8, 94);
    record.writeUInt32LE(1, 96); // BI_RLE8
    return record;
  }
  /** A placeable WMF with one META_STRETCHDIB record whose DIB declares `width` × `height`, then EOF. */
  function wmfStretchDib(width: number, height: number): Uint8Array {
    const record = Buffer.alloc(28 + 40);
    record.writeUInt32LE(record.length / 2, 0);
    record.writeUInt16LE(0x0f43, 4);
    record.writeUInt32LE(40, 28);
    record.writeInt32LE(width, 32);
    record.writeInt32LE(height, 36);
    const header = Buffer.from([1, 0, 9, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const placeable = Buffer.alloc(22);
    placeable.writeUInt32LE(0x9ac6cdd7, 0);
    return new Uint8Array(Buffer.concat([placeable, header, record, Buffer.from([3, 0, 0, 0, 0, 0])]));
  }

  it('reads bitmaps where LibreOffice reads them (third review): a DIB header after its record or split by cbBmi, a WMF carrying an EMF, a function-0 record that is not EOF, a 32-bit header size', () => {
    // The BITMAPINFOHEADER after the record (in the next record's bytes): offBmiSrc points past the record.
    const outside = stretchDibits(25_000, 25_000);
    const header = Buffer.from(outside.subarray(80));
    const shortRecord = Buffer.from(outside.subarray(0, 80));
    shortRecord.writeUInt32LE(80, 4);
    shortRecord.writeUInt32LE(80 + 8, 48); // skips the next record's type and size
    const comment = Buffer.concat([Buffer.from([70, 0, 0, 0]), Buffer.alloc(4), header]);
    comment.writeUInt32LE(comment.length, 4);
    expect(declaredSizes('EMF', emfOf([shortRecord, comment]))).toEqual([{ width: 25_000, height: 25_000 }]);
    // cbBmiSrc 4: the first 4 bytes from offBmiSrc (a header size of 40), the rest from offBitsSrc.
    const split = stretchDibits(1, 1);
    split.writeUInt32LE(4, 52);
    split.writeUInt32LE(120, 56); // offBitsSrc: the bytes right after the record (below)
    const second = Buffer.alloc(40);
    second.writeInt32LE(30_000, 0);
    second.writeInt32LE(30_000, 4);
    expect(declaredSizes('EMF', emfOf([Buffer.concat([split, second])]))).toEqual([{ width: 30_000, height: 30_000 }]);
    // A WMF whose "WMFC" comment records carry an EMF: LibreOffice draws the EMF.
    const inner = Buffer.from(emfOf([stretchDibits(20_000, 20_000)]));
    const escape = Buffer.alloc(44 + inner.length + (inner.length % 2));
    escape.writeUInt32LE(escape.length / 2, 0);
    escape.writeUInt16LE(0x0626, 4);
    escape.writeUInt16LE(0x000f, 6);
    escape.writeUInt32LE(0x43464d57, 10);
    escape.writeUInt32LE(inner.length, 32);
    inner.copy(escape, 44);
    const placeable = Buffer.alloc(22);
    placeable.writeUInt32LE(0x9ac6cdd7, 0);
    const wmfHeader = Buffer.from([1, 0, 9, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const eof = Buffer.from([3, 0, 0, 0, 0, 0]);
    expect(declaredSizes('WMF', new Uint8Array(Buffer.concat([placeable, wmfHeader, escape, eof])))).toEqual([{ width: 20_000, height: 20_000 }]);
    // A 4-word record of function 0 is not the end (LibreOffice ends at a 3-word one).
    const notEnd = Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]);
    const stretch = Buffer.from(wmfStretchDib(30_000, 1_000)).subarray(40);
    expect(declaredSizes('WMF', new Uint8Array(Buffer.concat([placeable, wmfHeader, notEnd, stretch])))).toEqual([{ width: 30_000, height: 1_000 }]);
    // A BMP header size of 0x0001000C is not the core header to LibreOffice (it reads 32 bits).
    const bmp = new Uint8Array([...ascii('BM'), ...le32(0), 0, 0, 0, 0, ...le32(54), ...le32(0x0001000c), ...le32(30_000), ...le32(30_000), 1, 0, 8, 0]);
    expect(declaredSizes('BMP', bmp)).toEqual([{ width: 30_000, height: 30_000 }]);
    // LibreOffice's own ZCOMPRESS: inflated to whatever size the header declares.
    const z = new Uint8Array([...ascii('BM'), ...le32(0), 0, 0, 0, 0, ...le32(54), ...le32(40), ...le32(1), ...le32(1), 1, 0, 8, 0, ...le32(0x01004453)]);
    expect(declaredSizes('BMP', z)).toEqual([{ width: 1, height: 1, unbounded: true }]);
  });

  it('EMF and WMF: every bitmap their records carry', () => {
    expect(declaredSizes('EMF', emfOf([]))).toEqual([]);
    expect(declaredSizes('EMF', emfOf([stretchDibits(25_000, 25_000), stretchDibits(10, 20)]))).toEqual([
      { width: 25_000, height: 25_000 },
      { width: 10, height: 20 },
    ]);
    expect(declaredSizes('WMF', wmfStretchDib(30_000, 1_000))).toEqual([{ width: 30_000, height: 1_000 }]);
  });
});
