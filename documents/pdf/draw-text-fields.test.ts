import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, concatTransformationMatrix, setFillingRgbColor } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../errors';
import { cjkSubset } from './cjk-subset';
import { drawTextFields, layoutText, wrapText, type TextFieldItem } from './draw-text-fields';
import { makePdf } from './test-helpers';

// ---- readers ---------------------------------------------------------------------------------

function withTemp<T>(pdf: Uint8Array, fn: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'draw-text-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    return fn(join(dir, 'doc.pdf'), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
};

/** Words with their boxes (points, top-left origin) as poppler's pdftotext reads them. */
function popplerWords(pdf: Uint8Array, page: number): { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  return withTemp(pdf, (file) => {
    const html = run('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', file, '-']).stdout;
    return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      xMin: Number(m[1]),
      yMin: Number(m[2]),
      xMax: Number(m[3]),
      yMax: Number(m[4]),
      text: m[5]!.replace(/&amp;/g, '&'),
    }));
  });
}

const popplerText = (pdf: Uint8Array, page: number) => withTemp(pdf, (file) => run('pdftotext', ['-f', String(page), '-l', String(page), file, '-']).stdout);

interface PdfJsItem {
  str: string;
  transform: number[];
  width: number;
}

async function loadPdfJs(pdf: Uint8Array) {
  const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
  return lib.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
}

/** pdf.js text items of a page with the font size and the top-left-origin baseline. */
async function pdfJsItems(pdf: Uint8Array, pageNo: number) {
  const doc = await loadPdfJs(pdf);
  const page = await doc.getPage(pageNo);
  const height = page.view[3]! - page.view[1]!;
  const content = await page.getTextContent();
  const items = (content.items as PdfJsItem[])
    .filter((i) => i.str.trim() !== '' && !i.str.startsWith('Contract page'))
    .map((i) => ({ str: i.str, size: Math.hypot(i.transform[0]!, i.transform[1]!), x: i.transform[4]!, baseline: height - i.transform[5]!, width: i.width }));
  await doc.destroy();
  return items;
}

/** Dark pixels (0/1) of a page region rendered by pdftoppm at `dpi`. */
function popplerInk(pdf: Uint8Array, page: number, dpi: number): { width: number; height: number; ink: Uint8Array; stderr: string } {
  return withTemp(pdf, (file, dir) => {
    const r = run('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-gray', file, join(dir, 'p')]);
    const data = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.pgm'))!));
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 50).toString('latin1'))!;
    const pixels = data.subarray(header[0].length);
    return { width: Number(header[1]), height: Number(header[2]), ink: Uint8Array.from(pixels, (v) => (v < 128 ? 1 : 0)), stderr: r.stderr };
  });
}

/** The same with pdf.js drawing the embedded font's outlines (disableFontFace) on a canvas. */
async function pdfJsInk(pdf: Uint8Array, pageNo: number, dpi: number): Promise<{ width: number; height: number; ink: Uint8Array }> {
  const doc = await loadPdfJs(pdf);
  const page = await doc.getPage(pageNo);
  const viewport = page.getViewport({ scale: dpi / 72 });
  const canvas = createCanvas(Math.floor(viewport.width), Math.floor(viewport.height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: ctx as never, viewport, canvas: canvas as never }).promise;
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const ink = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4]! + rgba[i * 4 + 1]! + rgba[i * 4 + 2]! < 3 * 128 ? 1 : 0;
  await doc.destroy();
  return { width: canvas.width, height: canvas.height, ink };
}

type Region = { x: number; y: number; width: number; height: number };
const count = (r: { width: number; ink: Uint8Array }, box: Region, dpi: number) => {
  const k = dpi / 72;
  let n = 0;
  for (let y = Math.floor(box.y * k); y < Math.ceil((box.y + box.height) * k); y++) {
    for (let x = Math.floor(box.x * k); x < Math.ceil((box.x + box.width) * k); x++) n += r.ink[y * r.width + x] ?? 0;
  }
  return n;
};

const item = (over: Partial<TextFieldItem> & Pick<TextFieldItem, 'text'>): TextFieldItem => ({
  page: 1,
  x: 60,
  y: 120,
  width: 240,
  height: 24,
  fontSize: 12,
  align: 'left',
  multiline: false,
  ...over,
});

async function refusal(p: Promise<unknown>): Promise<DocumentError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DocumentError);
  return e as DocumentError;
}

// ---- tests -----------------------------------------------------------------------------------

describe('drawTextFields', () => {
  it('draws Chinese text that poppler and pdf.js both read back; embeds a small subset CIDFontType0 (bare CFF); keeps the page count', async () => {
    const source = await makePdf({ pages: 3 });
    const out = await drawTextFields(source, [
      item({ text: '甲方名称：北京示例科技有限公司' }),
      item({ page: 3, y: 200, text: '总金额：1,234.50 元（壹仟贰佰叁拾肆元伍角整）', width: 400 }),
    ]);
    expect((await PDFDocument.load(out)).getPageCount()).toBe(3);
    expect(popplerText(out, 1)).toContain('甲方名称：北京示例科技有限公司');
    expect(popplerText(out, 3)).toContain('总金额：1,234.50 元（壹仟贰佰叁拾肆元伍角整）');
    expect(popplerText(out, 2)).not.toMatch(/甲方|金额/);
    expect((await pdfJsItems(out, 1)).map((i) => i.str).join('')).toBe('甲方名称：北京示例科技有限公司');

    const fonts = withTemp(out, (file) => run('pdffonts', [file]));
    const line = fonts.stdout.split('\n').find((l) => l.includes('NotoSansCJKsc'))!;
    // A subset tag, embedded (emb), subset (sub), ToUnicode (uni); bare CFF, not "(OT)".
    expect(line).toMatch(/^[A-Z]{6}\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
    expect(fonts.stderr).not.toMatch(/Mismatch|Error/i);
    // The whole CJK face is ~16 MB; the subset adds a few KB.
    expect(out.byteLength - source.byteLength).toBeLessThan(40_000);
  });

  it('renders the same glyphs in poppler and in pdf.js (CID = glyph id), inside the box only', async () => {
    const box = item({ x: 60, y: 120, width: 300, height: 30, fontSize: 16, text: '签订日期：2026年12月2日 合同编号：HT-001' });
    const out = await drawTextFields(await makePdf({ pages: 1 }), [box]);
    const dpi = 144;
    const poppler = popplerInk(out, 1, dpi);
    const pdfjs = await pdfJsInk(out, 1, dpi);
    expect(poppler.stderr).not.toMatch(/Mismatch|Error/i);
    const inBox = count(poppler, box, dpi);
    expect(inBox).toBeGreaterThan(1500); // 26 glyphs at 16 pt
    const around = { x: box.x - 20, y: box.y - 20, width: box.width + 40, height: box.height + 40 };
    expect(count(poppler, around, dpi)).toBe(inBox);
    // Pixel by pixel, the two renderers agree on where the ink is (wrong glyphs would not overlap).
    let both = 0;
    let either = 0;
    const k = dpi / 72;
    for (let y = Math.floor(box.y * k); y < (box.y + box.height) * k; y++) {
      for (let x = Math.floor(box.x * k); x < (box.x + box.width) * k; x++) {
        const a = poppler.ink[y * poppler.width + x]!;
        const b = pdfjs.ink[y * pdfjs.width + x]!;
        both += a & b;
        either += a | b;
      }
    }
    expect(both / either).toBeGreaterThan(0.6);
  });

  it('wraps multiline text inside the box, line by line from the top, keeping Latin words whole', async () => {
    const text = '第一条 本合同自双方签字盖章之日起生效，有效期一年。Delivery to the Shanghai warehouse.\n第二条 付款方式：银行转账。';
    const box = item({ x: 60, y: 100, width: 180, height: 150, fontSize: 11, multiline: true, text });
    const out = await drawTextFields(await makePdf({ pages: 1 }), [box]);
    const items = await pdfJsItems(out, 1);
    expect(items.length).toBeGreaterThanOrEqual(4);
    expect(items.map((i) => i.str).join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    for (const [i, it] of items.entries()) {
      expect(it.size).toBeCloseTo(11, 1);
      expect(it.x).toBeGreaterThanOrEqual(box.x - 0.01);
      expect(it.x + it.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
      if (i > 0) expect(it.baseline - items[i - 1]!.baseline).toBeCloseTo(11 * 1.3, 1);
    }
    expect(items[0]!.baseline).toBeCloseTo(box.y + 0.88 * 11, 1);
    expect(items.at(-1)!.str).toBe('第二条 付款方式：银行转账。'); // the paragraph break starts a new line
    expect(items.some((i) => /^[，。]/.test(i.str))).toBe(false); // closing punctuation never starts a line
    // Line by line, the Latin runs are whole words (a word cut at a line end would read as two).
    expect(items.flatMap((i) => i.str.match(/[A-Za-z]+/g) ?? [])).toEqual(['Delivery', 'to', 'the', 'Shanghai', 'warehouse']);
    expect(popplerText(out, 1).replace(/\s/g, '')).toContain(text.replace(/\s/g, ''));
  });

  it('shrinks a single line that does not fit, not below 6 pt, and refuses text that needs less', async () => {
    const box = item({ x: 100, width: 100, height: 20, fontSize: 12, align: 'center', text: '壹仟贰佰叁拾肆元伍角整' });
    const out = await drawTextFields(await makePdf({ pages: 1 }), [box]);
    const [drawn] = await pdfJsItems(out, 1);
    expect(drawn!.str).toBe('壹仟贰佰叁拾肆元伍角整');
    expect(drawn!.size).toBeLessThan(12);
    expect(drawn!.size).toBeGreaterThan(100 / 11 - 0.3); // 11 full-width glyphs fill the 100 pt box
    expect(drawn!.x).toBeGreaterThanOrEqual(box.x - 0.01);
    expect(drawn!.x + drawn!.width).toBeLessThanOrEqual(box.x + box.width + 0.01);

    const tooLong = await refusal(drawTextFields(await makePdf({ pages: 1 }), [{ ...box, label: '总金额大写', text: '壹'.repeat(17) }]));
    expect(tooLong.code).toBe('TEXT_DOES_NOT_FIT');
    expect(tooLong.message).toContain('"总金额大写"');
    const multi = await refusal(drawTextFields(await makePdf({ pages: 1 }), [{ ...box, multiline: true, height: 30, text: '很长的条款'.repeat(40) }]));
    expect(multi.code).toBe('TEXT_DOES_NOT_FIT');
  });

  it('aligns left, centre and right within the box, centred vertically for single lines', async () => {
    const base = { x: 100, width: 300, height: 30, fontSize: 14 };
    const out = await drawTextFields(await makePdf({ pages: 1 }), [
      item({ ...base, y: 100, align: 'left', text: 'LEFT左' }),
      item({ ...base, y: 150, align: 'center', text: 'MID中' }),
      item({ ...base, y: 200, align: 'right', text: 'RIGHT右' }),
    ]);
    const words = popplerWords(out, 1);
    const left = words.find((w) => w.text === 'LEFT左')!;
    const mid = words.find((w) => w.text === 'MID中')!;
    const right = words.find((w) => w.text === 'RIGHT右')!;
    expect(left.xMin).toBeCloseTo(100, 0);
    expect((mid.xMin + mid.xMax) / 2).toBeCloseTo(250, 0);
    expect(right.xMax).toBeCloseTo(400, 0);
    for (const [w, top] of [[left, 100], [mid, 150], [right, 200]] as const) {
      expect(w.yMin).toBeGreaterThanOrEqual(top);
      expect(w.yMax).toBeLessThanOrEqual(top + 30);
    }
  });

  it('is not moved by a transformation the page content leaves set (pdf-lib wraps the old content in q … Q)', async () => {
    const doc = await PDFDocument.load(await makePdf({ pages: 1 }));
    doc.getPage(0).pushOperators(concatTransformationMatrix(1, 0, 0, 1, 120, -200), setFillingRgbColor(1, 0, 0));
    const source = await doc.save({ useObjectStreams: false });
    const box = item({ x: 50, y: 60, width: 200, height: 30, fontSize: 14, text: '不受原有变换影响' });
    const out = await drawTextFields(source, [box]);
    const w = popplerWords(out, 1).find((x) => x.text === '不受原有变换影响')!;
    expect(w.xMin).toBeCloseTo(50, 0);
    expect(w.yMin).toBeGreaterThanOrEqual(60);
    expect(w.yMax).toBeLessThanOrEqual(90);
  });

  it('places boxes by the displayed page on a rotated page', async () => {
    const box = item({ x: 50, y: 60, width: 200, height: 30, fontSize: 14, text: '旋转页面上的文字' });
    const out = await drawTextFields(await makePdf({ pages: 1, rotate: 90 }), [box]);
    const words = popplerWords(out, 1);
    const w = words.find((x) => x.text === '旋转页面上的文字')!;
    expect(w.xMin).toBeCloseTo(50, 0);
    expect(w.yMin).toBeGreaterThanOrEqual(60);
    expect(w.yMax).toBeLessThanOrEqual(90);
  });

  it('refuses a page that does not exist, a box outside the page, a character the font lacks; skips empty texts', async () => {
    const pdf = await makePdf({ pages: 2 });
    expect((await refusal(drawTextFields(pdf, [item({ page: 3, text: '甲' })]))).code).toBe('PAGE_NOT_FOUND');
    expect((await refusal(drawTextFields(pdf, [item({ x: 500, width: 200, text: '甲' })]))).code).toBe('POSITION_OUT_OF_PAGE');
    expect((await refusal(drawTextFields(pdf, [item({ fontSize: 3, text: '甲' })]))).code).toBe('TEXT_DOES_NOT_FIT');
    const emoji = await refusal(drawTextFields(pdf, [item({ label: '备注', text: '好😀' })]));
    expect(emoji.code).toBe('TEXT_UNSUPPORTED_CHARACTER');
    expect(emoji.message).toContain('U+1F600');
    const untouched = await drawTextFields(pdf, [item({ text: '   ' })]);
    expect((await PDFDocument.load(untouched)).getPageCount()).toBe(2);
    expect(withTemp(untouched, (file) => run('pdffonts', [file])).stdout).not.toContain('NotoSans');
  });
});

describe('cjkSubset', () => {
  it('makes a CID-keyed CFF subset of the SC face whose charset is the identity (CID = glyph id)', async () => {
    const { bytes, missing } = await cjkSubset('合同甲乙方ABC123');
    expect(missing).toEqual([]);
    const font = fontkit.create(bytes) as unknown as {
      numGlyphs: number;
      postscriptName: string;
      'CFF ': { isCIDFont: boolean; topDict: { charset: { version: number; ranges: { first: number; nLeft: number }[] } } };
      glyphForCodePoint(cp: number): { id: number };
    };
    expect(font.postscriptName).toBe('NotoSansCJKsc-Regular');
    expect(font.numGlyphs).toBeLessThan(40);
    expect(font['CFF '].isCIDFont).toBe(true);
    expect(font['CFF '].topDict.charset).toMatchObject({ version: 2, ranges: [{ first: 1, nLeft: font.numGlyphs - 2 }] });
    expect(font.glyphForCodePoint('合'.codePointAt(0)!).id).toBeGreaterThan(0);
    expect((await cjkSubset('😀')).missing).toEqual([0x1f600]);
  });
});

describe('layout', () => {
  const unit = (t: string) => [...t].length; // 1 pt per character at size 1
  it('wraps CJK anywhere, keeps Latin words, drops the space at a break, and never starts a line with closing punctuation', () => {
    expect(wrapText('一二三四五六', 4, unit)).toEqual(['一二三四', '五六']);
    expect(wrapText('ab cdef', 5, unit)).toEqual(['ab', 'cdef']);
    expect(wrapText('一二三，四', 3, unit)).toEqual(['一二', '三，四']);
    expect(wrapText('一\n\n二', 4, unit)).toEqual(['一', '', '二']);
    expect(wrapText('abcdefgh', 3, unit)).toEqual(['abc', 'def', 'gh']);
    expect(wrapText('一', 0.5, unit)).toBeNull();
  });

  it('lays out the longest allowed text quickly (each token measured once)', () => {
    let measured = 0; // characters measured, over all calls
    const counted = (t: string) => {
      measured += [...t].length;
      return unit(t);
    };
    const started = performance.now();
    const layout = layoutText({ width: 500, height: 800, fontSize: 72, multiline: true, text: 'x'.repeat(2000) }, (t) => counted(t) * 0.5);
    expect(layout!.lines.join('')).toBe('x'.repeat(2000));
    expect(measured).toBeLessThan(2000 * 2 * 12); // ≤ 2 measurements per character per tried size (not per line prefix)
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('keeps the requested size when it fits and shrinks in quarter points otherwise', () => {
    expect(layoutText({ width: 100, height: 20, fontSize: 10, multiline: false, text: '一二三' }, unit)).toEqual({ fontSize: 10, lines: ['一二三'] });
    expect(layoutText({ width: 100, height: 20, fontSize: 12, multiline: false, text: '一'.repeat(11) }, unit)).toEqual({ fontSize: 9, lines: ['一'.repeat(11)] });
    expect(layoutText({ width: 100, height: 20, fontSize: 12, multiline: false, text: '一'.repeat(17) }, unit)).toBeNull();
    const multi = layoutText({ width: 40, height: 30, fontSize: 12, multiline: true, text: '一'.repeat(12) }, unit)!;
    expect(multi.fontSize).toBeLessThan(12);
    expect(multi.lines.join('')).toBe('一'.repeat(12));
    expect(multi.fontSize + (multi.lines.length - 1) * multi.fontSize * 1.3).toBeLessThanOrEqual(30.01);
  });
});
