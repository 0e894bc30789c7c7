/**
 * The Word engine on real LibreOffice (issue 11): docxtemplater fill → warm soffice listeners → PDF, keyword
 * positions checked against poppler's own text boxes, and the converter's failure handling (killed soffice,
 * timeouts, a full queue, close()). No database or Temporal needed; runs in the integration project because it
 * starts real LibreOffice processes.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDocumentWorkers, DocumentError, fillDocx, findKeywords } from '../../documents';
import { buildZip, CONTENT_TYPES, emfCarryingPdf, PNG_1X1_BASE64, ROOT_RELS } from '../../documents/word/hostile-docx';
import { renderPage } from '../../documents/pdf/test-helpers';
import { createSimpleOfficeConverter, createWarmOfficeConverter, liveProcessesInGroup, type WarmOfficeConverter } from '../../integrations/office';
import { officePipePath, singleInstancePipeName } from '../../integrations/office/office-pipes';

const FIXTURE = new Uint8Array(fs.readFileSync(new URL('../../templates/demo/purchase-contract.docx', import.meta.url)));
const VALUES = {
  合同编号: 'CG-2026-0001',
  甲方名称: '北京示例科技有限公司',
  乙方名称: '上海供货贸易有限公司',
  签订日期: '2026年12月2日',
  交货地点: '北京市海淀区中关村大街1号',
  货物名称: '服务器',
  规格型号: 'X-2000',
  数量: '10',
  单价: '1,234.56',
  总金额: '12,345.67',
  总金额大写: '壹万贰仟叁佰肆拾伍元陆角柒分',
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-word-engine-'));
const converters: WarmOfficeConverter[] = [];

function warmConverter(over: Partial<Parameters<typeof createWarmOfficeConverter>[0]> = {}): WarmOfficeConverter {
  const c = createWarmOfficeConverter({ processes: 2, maxQueue: 32, timeoutMs: 60_000, profileRoot: path.join(tmp, 'profiles'), ...over });
  converters.push(c);
  return c;
}

function pdfText(pdf: Uint8Array, ...args: string[]): string {
  const file = path.join(tmp, `t-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function pdfFonts(pdf: Uint8Array): string {
  const file = path.join(tmp, `f-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdffonts', [file], { encoding: 'utf8' });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** poppler's word boxes (pdftotext -bbox): page (1-based), text, xMin, yMin (points, top-left origin). */
function popplerWords(pdf: Uint8Array): Array<{ page: number; text: string; x: number; y: number }> {
  const html = pdfText(pdf, '-bbox');
  const words: Array<{ page: number; text: string; x: number; y: number }> = [];
  html.split('<page ').slice(1).forEach((chunk, i) => {
    for (const m of chunk.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<\/word>/g)) {
      words.push({ page: i + 1, x: Number(m[1]), y: Number(m[2]), text: m[3]! });
    }
  });
  return words;
}

const groupMembers = liveProcessesInGroup;

let warm: WarmOfficeConverter;
let filledPdf: Uint8Array;

beforeAll(async () => {
  warm = warmConverter();
  await warm.warm();
}, 120_000);

afterAll(async () => {
  const groups = converters.flatMap((c) => c.officeProcessGroups());
  await Promise.all(converters.map((c) => c.close()));
  await closeDocumentWorkers(0);
  // Nothing may be left running: every soffice group started by this file is gone.
  for (const g of groups) expect(groupMembers(g)).toEqual([]);
  fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

/** The sockets under /tmp of the converter whose profiles are `profiles` in `root`: each process's --accept pipe and its profile's single-instance pipe. */
function officePipesOf(root: string, profiles: string[]): string[] {
  const instance = profiles[0]!.replace(/-p\d+$/, '');
  return [
    ...fs.readdirSync('/tmp').filter((f) => f.startsWith(path.basename(officePipePath(`sealflow-office-${instance}-`)))),
    ...profiles.map((p) => path.basename(officePipePath(singleInstancePipeName(pathToFileURL(path.join(root, p, 'profile')).href)))).filter((f) => fs.existsSync(path.join('/tmp', f))),
  ];
}

describe('Word templates on real LibreOffice', () => {
  it('a template with Chinese text, a table and an amount in capitals fills and converts (宋体 → Noto Serif CJK)', async () => {
    const filled = await fillDocx(FIXTURE, VALUES);
    filledPdf = await warm.toPdf(filled);
    const text = pdfText(filledPdf, '-layout');
    const flat = text.replace(/\s+/g, ''); // pdftotext puts spaces between CJK and Latin runs
    for (const value of Object.values(VALUES)) expect(flat).toContain(value);
    expect(text).toContain('采购合同');
    expect(text).toMatch(/服务器\s+X-2000\s+10\s+1,234\.56\s+12,345\.67/); // one table row
    expect(text).toContain('合计（大写）：壹万贰仟叁佰肆拾伍元陆角柒分');
    expect(text).toContain('甲方（盖章）：');
    // The body font is 宋体: the fontconfig alias makes it Noto Serif CJK (else it falls back to a sans face).
    expect(pdfFonts(filledPdf)).toMatch(/NotoSerifCJK/);
  });

  it('宋体/仿宋/楷体 render exactly as Noto Serif CJK SC, 黑体/微软雅黑 as Noto Sans CJK SC (fontconfig aliases)', async () => {
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const sample = (font: string) =>
      buildZip([
        { name: '[Content_Types].xml', data: CONTENT_TYPES },
        { name: '_rels/.rels', data: ROOT_RELS },
        { name: 'word/document.xml', data: `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:rPr><w:rFonts w:ascii="${font}" w:hAnsi="${font}" w:eastAsia="${font}"/><w:sz w:val="96"/><w:lang w:eastAsia="zh-CN"/></w:rPr><w:t>直骨角甲方</w:t></w:r></w:p></w:body></w:document>` },
      ]);
    const bitmap = async (font: string) => {
      const file = path.join(tmp, `glyphs-${Math.random().toString(36).slice(2)}.pdf`);
      fs.writeFileSync(file, await warm.toPdf(sample(font)));
      try {
        return execFileSync('pdftoppm', ['-r', '40', '-f', '1', '-l', '1', '-gray', file]);
      } finally {
        fs.rmSync(file, { force: true });
      }
    };
    const serif = await bitmap('Noto Serif CJK SC');
    const sans = await bitmap('Noto Sans CJK SC');
    expect(serif.equals(sans)).toBe(false);
    for (const font of ['宋体', '仿宋', '楷体']) expect((await bitmap(font)).equals(serif), font).toBe(true);
    for (const font of ['黑体', '微软雅黑']) expect((await bitmap(font)).equals(sans), font).toBe(true);
  });

  it('a picture converts; the bytes of an embedded font and of printer settings are withheld from LibreOffice, and the document still opens', async () => {
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const rels = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${body}</Relationships>`;
    const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="${R}/${type}" Target="${target}"/>`;
    const inlinePicture = `<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="logo"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="1" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId5"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`;
    const docx = buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES.replace('</Types>', '<Default Extension="png" ContentType="image/png"/><Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/><Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"/></Types>') },
      { name: '_rels/.rels', data: ROOT_RELS },
      { name: 'word/document.xml', data: `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}" xmlns:r="${R}"><w:body><w:p><w:r><w:t>甲方：{甲方名称}</w:t></w:r></w:p>${inlinePicture}</w:body></w:document>` },
      { name: 'word/_rels/document.xml.rels', data: rels(rel('rId5', 'image', 'media/image1.png') + rel('rId6', 'printerSettings', 'printerSettings/printerSettings1.bin') + rel('rId7', 'fontTable', 'fontTable.xml')) },
      { name: 'word/media/image1.png', data: new Uint8Array(Buffer.from(PNG_1X1_BASE64, 'base64')) },
      { name: 'word/printerSettings/printerSettings1.bin', data: new Uint8Array(220).fill(0x41) },
      { name: 'word/fontTable.xml', data: `<?xml version="1.0" encoding="UTF-8"?><w:fonts xmlns:w="${W}" xmlns:r="${R}"><w:font w:name="宋体"><w:embedRegular r:id="rId1" w:fontKey="{01234567-89AB-CDEF-0123-456789ABCDEF}"/></w:font></w:fonts>` },
      { name: 'word/_rels/fontTable.xml.rels', data: rels(rel('rId1', 'font', 'fonts/font1.odttf')) },
      { name: 'word/fonts/font1.odttf', data: new Uint8Array(256).fill(0x5a) },
    ]);
    const pdf = await warm.toPdf(await fillDocx(docx, { 甲方名称: '北京示例科技有限公司' }));
    expect(pdfText(pdf)).toContain('甲方：北京示例科技有限公司');
    const file = path.join(tmp, 'picture.pdf');
    fs.writeFileSync(file, pdf);
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images.filter((line) => /^\s*\d+\s+\d+\s+image\s/.test(line))).toHaveLength(1); // the PNG, drawn (its alpha channel is an smask line)
  });

  it('an EMF picture carrying a PDF in a GDIC comment is drawn without it: LibreOffice runs with EMF+ off, so pdfium never gets the bytes', async () => {
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const picture = `<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="1828800" cy="1828800"/><wp:docPr id="1" name="p"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="1" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId5"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="1828800"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`;
    const docx = buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES.replace('</Types>', '<Default Extension="emf" ContentType="image/x-emf"/></Types>') },
      { name: '_rels/.rels', data: ROOT_RELS },
      { name: 'word/document.xml', data: `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}" xmlns:r="${R}"><w:body><w:p><w:r><w:t>{甲方名称}</w:t></w:r></w:p>${picture}</w:body></w:document>` },
      { name: 'word/_rels/document.xml.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId5" Type="${R}/image" Target="media/image1.emf"/></Relationships>` },
      { name: 'word/media/image1.emf', data: emfCarryingPdf() },
    ]);
    const pdf = await warm.toPdf(await fillDocx(docx, { 甲方名称: '北京示例科技有限公司' }));
    expect(pdfText(pdf)).toContain('北京示例科技有限公司');
    // The carried PDF is a page filled blue (rendered by pdfium with EMF+ on: a 2-inch blue square).
    const page = renderPage(pdf, 1);
    let blue = 0;
    for (let i = 0; i < page.rgb.length; i += 3) if (page.rgb[i]! < 60 && page.rgb[i + 1]! < 60 && page.rgb[i + 2]! > 200) blue++;
    expect(blue).toBe(0);
  });

  it('keyword positions land where poppler sees the text (split across text items or not)', async () => {
    filledPdf ??= await warm.toPdf(await fillDocx(FIXTURE, VALUES));
    const hits = await findKeywords(filledPdf, ['甲方（盖章）：', '乙方（签字）：', '合计（大写）：', '不存在的关键字']);
    const words = popplerWords(filledPdf);
    for (const keyword of ['甲方（盖章）：', '乙方（签字）：', '合计（大写）：']) {
      const list = hits[keyword]!;
      expect(list, keyword).toHaveLength(1);
      const word = words.find((w) => w.text.startsWith(keyword));
      expect(word, keyword).toBeDefined();
      const hit = list[0]!;
      expect(hit.page).toBe(word!.page);
      expect(Math.abs(hit.x - word!.x), keyword).toBeLessThan(1);
      expect(Math.abs(hit.y - word!.y), keyword).toBeLessThan(2);
      expect(hit.height).toBeGreaterThan(9);
      expect(hit.width).toBeGreaterThan(7 * 9); // 7 full-width characters at the 12 pt body size
    }
    // The signing keywords are at the end: after the goods table, on the last page, 乙方 below 甲方.
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', ['-'], { input: filledPdf, encoding: 'utf8' }))?.[1]);
    expect(hits['甲方（盖章）：']![0]!.page).toBe(pages);
    expect(hits['乙方（签字）：']![0]!.y).toBeGreaterThan(hits['甲方（盖章）：']![0]!.y);
    expect(hits['不存在的关键字']).toEqual([]);
  });

  it('20 concurrent conversions complete, each with its own content', async () => {
    const docs = await Promise.all(Array.from({ length: 20 }, (_, i) => fillDocx(FIXTURE, { ...VALUES, 合同编号: `CG-CONC-${String(i).padStart(2, '0')}` })));
    const started = performance.now();
    const pdfs = await Promise.all(docs.map((d) => warm.toPdf(d)));
    const seconds = (performance.now() - started) / 1000;
    pdfs.forEach((pdf, i) => {
      const text = pdfText(pdf);
      expect(text).toContain(`CG-CONC-${String(i).padStart(2, '0')}`);
      expect(text.match(/CG-CONC-\d\d/g)).toHaveLength(1);
    });
    console.log(`[word-engine] 20 concurrent conversions on 2 warm processes: ${seconds.toFixed(1)} s`);
  }, 180_000);

  it('a warm converter survives kill -9 of its soffice: idle, and in the middle of a conversion', async () => {
    const c = warmConverter({ processes: 1 });
    await c.warm();
    const [group] = c.officeProcessGroups();
    const bin = groupMembers(group!).find((p) => p.name.startsWith('soffice'));
    expect(bin).toBeDefined();
    process.kill(bin!.pid, 'SIGKILL'); // idle
    const afterIdleKill = await c.toPdf(FIXTURE);
    expect(pdfText(afterIdleKill)).toContain('采购合同');
    expect(c.stats().restarts).toBeGreaterThanOrEqual(1);
    expect(c.officeProcessGroups()).not.toContain(group);
    expect(groupMembers(group!)).toEqual([]); // the dead group was cleaned up

    // Killed while converting: the document is retried once on the restarted process.
    const [group2] = c.officeProcessGroups();
    const pending = c.toPdf(FIXTURE);
    const deadline = Date.now() + 10_000;
    while (c.stats().busy === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const bin2 = groupMembers(group2!).find((p) => p.name.startsWith('soffice'));
    process.kill(bin2!.pid, 'SIGKILL');
    const pdf = await pending;
    expect(pdfText(pdf)).toContain('采购合同');
    expect(c.stats().restarts).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('a full queue answers OFFICE_BUSY at once; a document over its timeout fails and its process is replaced', async () => {
    const c = warmConverter({ processes: 1, maxQueue: 1 });
    await c.warm();
    const first = c.toPdf(FIXTURE);
    const second = c.toPdf(FIXTURE);
    const started = performance.now();
    const third = await c.toPdf(FIXTURE).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(100);
    expect(third).toBeInstanceOf(DocumentError);
    expect(third).toMatchObject({ code: 'OFFICE_BUSY' });
    await Promise.all([first, second]);

    const restarts = c.stats().restarts;
    await expect(c.toPdf(FIXTURE, { timeoutMs: 1 })).rejects.toMatchObject({ code: 'OFFICE_CONVERSION_FAILED' });
    expect(c.stats().restarts).toBe(restarts + 1);
    expect(pdfText(await c.toPdf(FIXTURE))).toContain('采购合同');
  }, 120_000);

  it('close() stops every LibreOffice process it started and removes its profiles and pipes; later calls are refused', async () => {
    const root = path.join(tmp, 'close-profiles');
    const c = createWarmOfficeConverter({ processes: 2, maxQueue: 4, timeoutMs: 60_000, profileRoot: root });
    await c.warm();
    const groups = c.officeProcessGroups();
    expect(groups).toHaveLength(2);
    const profiles = fs.readdirSync(root);
    expect(profiles).toHaveLength(2); // one profile per process
    const pipes = () => officePipesOf(root, profiles);
    expect(pipes()).toHaveLength(4);
    await c.close();
    for (const g of groups) expect(groupMembers(g)).toEqual([]);
    expect(fs.readdirSync(root)).toEqual([]);
    expect(pipes()).toEqual([]);
    await expect(c.toPdf(FIXTURE)).rejects.toMatchObject({ code: 'OFFICE_UNAVAILABLE' });
  }, 120_000);

  it('an owner killed with SIGKILL leaves no LibreOffice and no pipe behind (the bridge cleans up when its stdin closes)', async () => {
    const root = path.join(tmp, 'killed-owner');
    const owner = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/warm-office-owner.ts', import.meta.url)), root], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: owner.stdout! }).once('line', resolve);
      owner.once('exit', (code) => reject(new Error(`the owner exited (${code}) before it was ready`)));
    });
    const { groups } = JSON.parse(line) as { groups: number[] };
    const profiles = fs.readdirSync(root);
    const pipes = () => officePipesOf(root, profiles);
    expect(groups).toHaveLength(2);
    expect(pipes()).toHaveLength(4);
    owner.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while ((groups.some((g) => groupMembers(g).length > 0) || pipes().length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const g of groups) expect(groupMembers(g)).toEqual([]);
    expect(pipes()).toEqual([]);
  }, 120_000);

  it('the simple path (libreoffice-convert) converts the same document', async () => {
    const simple = createSimpleOfficeConverter({ timeoutMs: 120_000 });
    try {
      const pdf = await simple.toPdf(await fillDocx(FIXTURE, VALUES));
      expect(pdfText(pdf)).toContain('壹万贰仟叁佰肆拾伍元陆角柒分');
    } finally {
      await simple.close();
    }
  }, 180_000);

  it('a file LibreOffice cannot read fails with OFFICE_CONVERSION_FAILED and the process keeps working', async () => {
    await expect(warm.toPdf(new TextEncoder().encode('PK\u0003\u0004 garbage that is not a document'))).rejects.toMatchObject({ code: 'OFFICE_CONVERSION_FAILED' });
    expect(pdfText(await warm.toPdf(FIXTURE))).toContain('采购合同');
  }, 120_000);
});
