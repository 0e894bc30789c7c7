import { createHash } from 'node:crypto';
import { PDFHexString, PDFString } from 'pdf-lib-incremental-save';
import { DocumentError } from '../../errors';
import { pageGeometry, type PageGeometry } from '../page-geometry';
import { preparedImage, type ImageStream } from '../prepared-image';
import { DEFAULT_STRUCTURE_LIMITS, MAX_FIELD_NAME_LENGTH } from '../pdf-structure';
import { BYTE_RANGE_PLACEHOLDER, pdfText, planWidgets, widgetAppearance } from '../sign-plan';
import type { SignPdfInput } from '../sign-pdf';
import { dict, name, num, raw, ref, serialize, Unsupported, type PdfValue } from './pdf-syntax';
import { XrefReader } from './xref-reader';

/**
 * The signature's incremental update written directly, for PDFs with classic cross-reference
 * tables (what prepareForSigning and every later signature produce): reads the trailer, the
 * catalog, the page tree, the AcroForm and its fields — nothing else — and appends the same
 * objects the pdf-lib writer would (signature dictionary, field, widgets, appearance streams,
 * image XObjects, the rewritten catalog/AcroForm/Fields/page/Annots) plus one cross-reference
 * section and trailer. Earlier bytes are never touched.
 *
 * The same checks as the general path, within the same limits: the page tree walked once with a
 * visit set (repeats, cycles, depth, /Count and page limits, every /Parent pointing at the node
 * that lists it), the field tree likewise (fully qualified names, maxFields, depth), the widget
 * plan (pages, geometry, caps) and field-name uniqueness. Anything this reader does not take as
 * plainly well-formed — cross-reference streams, encryption, a broken or unusual tree, an object
 * not where the table says — returns null, and signPdf takes the pdf-lib path, which owns the
 * errors such files deserve.
 */

export interface IncrementalUpdate {
  /** The whole file: the input bytes followed by the update. */
  bytes: Uint8Array;
  updateStart: number;
}

type Dict = Map<string, PdfValue>;

interface PageNode {
  num: number;
  dict: Dict;
  /** The page's dictionary and its ancestors, nearest first (for inherited attributes). */
  chain: Dict[];
}

const asDict = (v: PdfValue | undefined): Dict | null => (v?.t === 'dict' ? v.entries : null);
const nameOf = (v: PdfValue | undefined): string | null => (v?.t === 'name' ? v.v : null);

/** A field's partial name decoded as listFields decodes it; one longer than listFields takes is Unsupported (the pdf-lib path refuses it). */
function decodeText(v: PdfValue | undefined): string | null {
  if (v?.t !== 'str') return null;
  if (v.raw.length - 2 > MAX_FIELD_NAME_LENGTH) throw new Unsupported('a field name longer than listFields takes');
  return v.hex ? PDFHexString.of(v.raw.slice(1, -1)).decodeText() : PDFString.of(v.raw.slice(1, -1)).decodeText();
}

/** Page tree: pages in document order, as pdf-lib's getPages lists them; throws Unsupported on anything irregular. */
function readPages(reader: XrefReader, catalog: Dict): PageNode[] {
  const limits = DEFAULT_STRUCTURE_LIMITS;
  const rootRef = catalog.get('Pages');
  if (rootRef?.t !== 'ref') throw new Unsupported('no indirect page tree root');
  const root = asDict(reader.object(rootRef.num));
  if (!root || nameOf(root.get('Type')) !== 'Pages' || root.has('Parent')) throw new Unsupported('page tree root');
  const count = reader.resolve(root.get('Count'));
  if (count?.t === 'num' && count.v > limits.maxPages) throw new Unsupported('over the page limit');
  const pages: PageNode[] = [];
  const visited = new Set<number>([rootRef.num]);
  const walk = (nodeNum: number, node: Dict, chain: Dict[], depth: number) => {
    const kids = reader.resolve(node.get('Kids'));
    if (kids?.t !== 'arr') throw new Unsupported('page tree node without /Kids');
    for (const kidRef of kids.items) {
      if (kidRef.t !== 'ref' || visited.has(kidRef.num)) throw new Unsupported('direct or repeated page tree kid');
      visited.add(kidRef.num);
      if (visited.size > 2 * limits.maxPages + 64) throw new Unsupported('too many page tree nodes');
      const kid = asDict(reader.object(kidRef.num));
      const parent = kid?.get('Parent');
      if (!kid || parent?.t !== 'ref' || parent.num !== nodeNum) throw new Unsupported('page tree kid whose /Parent is not its node');
      const type = nameOf(kid.get('Type'));
      if (type === 'Page') {
        pages.push({ num: kidRef.num, dict: kid, chain: [kid, ...chain] });
        if (pages.length > limits.maxPages) throw new Unsupported('over the page limit');
      } else if (type === 'Pages') {
        if (depth + 1 > limits.maxDepth) throw new Unsupported('page tree too deep');
        walk(kidRef.num, kid, [kid, ...chain], depth + 1);
      } else throw new Unsupported('page tree kid of another type');
    }
  };
  walk(rootRef.num, root, [root], 0);
  return pages;
}

/** pageGeometry of a page, with pdf-lib's inheritance and rectangle semantics. */
function geometryOf(reader: XrefReader, page: PageNode): PageGeometry {
  const inherited = (key: string) => reader.resolve(page.chain.find((d) => d.has(key))?.get(key));
  const rectangle = (v: PdfValue | undefined) => {
    if (v?.t !== 'arr' || v.items.length !== 4) throw new Unsupported('page box is not a rectangle');
    const [llx, lly, urx, ury] = v.items.map((x) => {
      const n = reader.resolve(x);
      if (n?.t !== 'num') throw new Unsupported('page box entry is not a number');
      return n.v;
    }) as [number, number, number, number];
    return { x: llx, y: lly, width: urx - llx, height: ury - lly };
  };
  const media = rectangle(inherited('MediaBox'));
  const cropValue = inherited('CropBox');
  const crop = cropValue === undefined ? media : rectangle(cropValue);
  const rotate = inherited('Rotate');
  if (rotate !== undefined && rotate.t !== 'num') throw new Unsupported('/Rotate is not a number');
  return pageGeometry({ getCropBox: () => crop, getRotation: () => ({ angle: rotate?.v ?? 0 }) });
}

/** Fully qualified names of every field and widget, as listFields finds them; throws Unsupported where listFields would refuse. */
function fieldNames(reader: XrefReader, acroForm: Dict | null): Set<string> {
  const limits = DEFAULT_STRUCTURE_LIMITS;
  const names = new Set<string>();
  const fields = acroForm ? reader.resolve(acroForm.get('Fields')) : undefined;
  if (fields?.t !== 'arr') return names;
  const visited = new Set<unknown>();
  const stack: { kids: PdfValue[]; prefix: string; depth: number }[] = [{ kids: fields.items, prefix: '', depth: 0 }];
  while (stack.length > 0) {
    const { kids, prefix, depth } = stack.pop()!;
    for (const item of kids) {
      const field = reader.resolve(item);
      if (field?.t !== 'dict') continue;
      if (visited.has(field)) throw new Unsupported('field listed twice');
      visited.add(field);
      if (visited.size > limits.maxFields) throw new Unsupported('too many fields');
      const partial = decodeText(field.entries.get('T'));
      const fullName = partial === null ? prefix : prefix ? `${prefix}.${partial}` : partial;
      if (fullName.length > MAX_FIELD_NAME_LENGTH) throw new Unsupported('a field name longer than listFields takes');
      names.add(fullName);
      const children = reader.resolve(field.entries.get('Kids'));
      if (children?.t === 'arr') {
        if (depth + 1 > limits.maxDepth) throw new Unsupported('field tree too deep');
        stack.push({ kids: children.items, prefix: fullName, depth: depth + 1 });
      }
    }
  }
  return names;
}

/** Objects of the update in writing order; streams carry their data. */
class UpdateWriter {
  private readonly objects: { num: number; gen: number; head: string; data?: Uint8Array }[] = [];
  private readonly written = new Set<number>();
  constructor(private next: number) {}

  allocate(): number {
    return this.next++;
  }

  get size(): number {
    return this.next;
  }

  put(objectNumber: number, gen: number, value: PdfValue): void {
    // Two rewrites of one object (e.g. an /Annots array shared by two pages) would lose the first.
    if (this.written.has(objectNumber)) throw new Unsupported(`object ${objectNumber} rewritten twice`);
    this.written.add(objectNumber);
    this.objects.push({ num: objectNumber, gen, head: serialize(value) });
  }

  putStream(objectNumber: number, entries: Record<string, PdfValue>, data: Uint8Array): void {
    this.objects.push({ num: objectNumber, gen: 0, head: serialize(dict({ ...entries, Length: num(data.length) })), data });
  }

  write(base: Uint8Array, trailer: string, prev: number): IncrementalUpdate {
    const chunks: Uint8Array[] = [];
    const last = base[base.length - 1];
    let length = 0;
    const push = (c: Uint8Array | string) => {
      const b = typeof c === 'string' ? Buffer.from(c, 'latin1') : c;
      chunks.push(b);
      length += b.length;
    };
    if (last !== 0x0a && last !== 0x0d) push('\n');
    const offsets = new Map<number, { offset: number; gen: number }>();
    for (const o of this.objects) {
      offsets.set(o.num, { offset: base.length + length, gen: o.gen });
      if (o.data) {
        push(`${o.num} ${o.gen} obj\n${o.head}\nstream\n`);
        push(o.data);
        push('\nendstream\nendobj\n');
      } else push(`${o.num} ${o.gen} obj\n${o.head}\nendobj\n`);
    }
    const xrefOffset = base.length + length;
    const nums = [...offsets.keys()].sort((a, b) => a - b);
    let xref = 'xref\n0 1\n0000000000 65535 f \n';
    for (let i = 0; i < nums.length; ) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
      xref += `${nums[i]} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++) {
        const { offset, gen } = offsets.get(nums[k]!)!;
        xref += `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n \n`;
      }
      i = j + 1;
    }
    push(`${xref}trailer\n${trailer.replace(/ >>$/, ` /Prev ${prev} >>`)}\nstartxref\n${xrefOffset}\n%%EOF\n`);
    const out = new Uint8Array(base.length + length);
    out.set(base, 0);
    let at = base.length;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return { bytes: out, updateStart: base.length };
  }
}

function imageStreamEntries(s: ImageStream): Record<string, PdfValue> {
  const cs = s.colorSpace;
  const colorSpace =
    cs.kind === 'Indexed' ? raw(`[/Indexed /DeviceRGB ${cs.hival} <${Buffer.from(cs.palette).toString('hex')}>]`) : name(cs.kind);
  return { Type: name('XObject'), Subtype: name('Image'), Width: num(s.width), Height: num(s.height), BitsPerComponent: num(s.bitsPerComponent), ColorSpace: colorSpace, Filter: name('FlateDecode') };
}

/**
 * The pdf + update with the signature's placeholders (ByteRange, /Contents of `reserve()` bytes
 * of zeros), or null when the file is not one this writer takes (signPdf then uses pdf-lib).
 * Throws the same DocumentErrors as the general path for the input's own faults.
 */
export function leanIncrementalUpdate(input: SignPdfInput, signingTime: Date, reserve: () => number): IncrementalUpdate | null {
  try {
    return build(input, signingTime, reserve);
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

function build(input: SignPdfInput, signingTime: Date, reserve: () => number): IncrementalUpdate {
  const reader = new XrefReader(input.pdf);
  const rootRef = reader.trailer.get('Root');
  if (rootRef?.t !== 'ref') throw new Unsupported('no /Root reference');
  const catalog = asDict(reader.object(rootRef.num));
  if (!catalog) throw new Unsupported('catalog is not a dictionary');
  const pages = readPages(reader, catalog);
  const geometries = pages.map((p) => geometryOf(reader, p));
  const planned = planWidgets(input, geometries);

  const acroRaw = catalog.get('AcroForm');
  const acroValue = reader.resolve(acroRaw);
  if (acroRaw !== undefined && acroValue?.t !== 'dict') throw new Unsupported('/AcroForm is not a dictionary');
  const acroForm = new Map(asDict(acroValue) ?? []);
  const fieldsRaw = acroForm.get('Fields');
  const fieldsValue = reader.resolve(fieldsRaw);
  if (fieldsRaw !== undefined && fieldsValue?.t !== 'arr') throw new Unsupported('/Fields is not an array');
  const names = fieldNames(reader, asDict(acroValue));
  if (names.has(input.fieldName)) throw new DocumentError('FIELD_NAME_TAKEN', `a form field named "${input.fieldName}" already exists`);

  const w = new UpdateWriter(reader.nextObjectNumber);
  const rewrite = (n: number, v: PdfValue) => w.put(n, reader.generation(n), v);

  // Signature dictionary with placeholders.
  const reserved = reserve();
  const sigNum = w.allocate();
  const sig: Record<string, PdfValue> = {
    Type: name('Sig'),
    Filter: name('Adobe.PPKLite'),
    SubFilter: name('ETSI.CAdES.detached'),
    ByteRange: raw(BYTE_RANGE_PLACEHOLDER),
    Contents: raw(`<${'0'.repeat(reserved * 2)}>`),
    M: raw(PDFString.fromDate(signingTime).toString()),
    Name: raw(pdfText(input.signerName).toString()),
  };
  if (input.reason) sig.Reason = raw(pdfText(input.reason).toString());
  if (input.location) sig.Location = raw(pdfText(input.location).toString());
  w.put(sigNum, 0, dict(sig));

  // Each distinct image once, however many marks and strips show it.
  const images = new Map<string, { num: number; width: number; height: number }>();
  const embed = (png: Uint8Array) => {
    const key = createHash('sha256').update(png).digest('base64');
    let image = images.get(key);
    if (!image) {
      const prepared = preparedImage(png);
      const imageNum = w.allocate();
      const entries = imageStreamEntries(prepared.image);
      if (prepared.smask) {
        const maskNum = w.allocate();
        w.putStream(maskNum, imageStreamEntries(prepared.smask), prepared.smask.data);
        entries.SMask = ref(maskNum);
      }
      w.putStream(imageNum, entries, prepared.image.data);
      image = { num: imageNum, width: prepared.width, height: prepared.height };
      images.set(key, image);
    }
    return image;
  };

  // Field: merged with its widget for one mark, else a parent whose kids are the widgets (no /Parent: see signPdf).
  const merged = planned.length === 1;
  const fieldTitle = raw(pdfText(input.fieldName).toString());
  const fieldNum = merged ? null : w.allocate();
  const kids: PdfValue[] = [];
  const widgetsByPage = new Map<number, PdfValue[]>();
  for (const p of planned) {
    const image = embed(p.png);
    const a = widgetAppearance(p, geometries[p.page - 1]!, image);
    const apNum = w.allocate();
    w.putStream(
      apNum,
      {
        Type: name('XObject'),
        Subtype: name('Form'),
        FormType: num(1),
        BBox: { t: 'arr', items: a.bbox.map(num) },
        Matrix: { t: 'arr', items: a.matrix.map(num) },
        Resources: dict({ XObject: dict({ Seal: ref(image.num) }), ExtGState: dict({ GS0: dict({ Type: name('ExtGState'), BM: name('Multiply') }) }) }),
      },
      Buffer.from(a.ops, 'latin1'),
    );
    const widget: Record<string, PdfValue> = {
      Type: name('Annot'),
      Subtype: name('Widget'),
      Rect: { t: 'arr', items: a.rect.map(num) },
      F: num(4), // Print
      P: ref(pages[p.page - 1]!.num, reader.generation(pages[p.page - 1]!.num)),
      AP: dict({ N: ref(apNum) }),
    };
    if (merged) Object.assign(widget, { FT: name('Sig'), V: ref(sigNum), T: fieldTitle });
    const widgetNum = w.allocate();
    w.put(widgetNum, 0, dict(widget));
    kids.push(ref(widgetNum));
    widgetsByPage.set(p.page, [...(widgetsByPage.get(p.page) ?? []), ref(widgetNum)]);
  }
  if (fieldNum !== null) w.put(fieldNum, 0, dict({ FT: name('Sig'), V: ref(sigNum), Kids: { t: 'arr', items: kids }, T: fieldTitle }));

  // Fields array, AcroForm (SigFlags: SignaturesExist | AppendOnly), catalog.
  const newField = fieldNum !== null ? ref(fieldNum) : kids[0]!;
  const fieldsArray: PdfValue = { t: 'arr', items: [...(fieldsValue?.t === 'arr' ? fieldsValue.items : []), newField] };
  if (fieldsRaw?.t === 'ref') rewrite(fieldsRaw.num, fieldsArray);
  else acroForm.set('Fields', fieldsArray);
  const flags = reader.resolve(acroForm.get('SigFlags'));
  acroForm.set('SigFlags', num((flags?.t === 'num' && Number.isInteger(flags.v) ? flags.v : 0) | 3));
  if (acroRaw?.t === 'ref') rewrite(acroRaw.num, { t: 'dict', entries: acroForm });
  else {
    const newCatalog = new Map(catalog);
    if (acroRaw === undefined) {
      const acroNum = w.allocate();
      w.put(acroNum, 0, { t: 'dict', entries: acroForm });
      newCatalog.set('AcroForm', ref(acroNum));
    } else newCatalog.set('AcroForm', { t: 'dict', entries: acroForm });
    rewrite(rootRef.num, { t: 'dict', entries: newCatalog });
  }

  // Each page's /Annots gets its widgets.
  for (const [pageNumber, refs] of widgetsByPage) {
    const page = pages[pageNumber - 1]!;
    const annotsRaw = page.dict.get('Annots');
    const annots = reader.resolve(annotsRaw);
    if (annotsRaw !== undefined && annots?.t !== 'arr') throw new Unsupported('/Annots is not an array');
    const items: PdfValue = { t: 'arr', items: [...(annots?.t === 'arr' ? annots.items : []), ...refs] };
    if (annotsRaw?.t === 'ref') rewrite(annotsRaw.num, items);
    else rewrite(page.num, { t: 'dict', entries: new Map(page.dict).set('Annots', items) });
  }

  const trailer: Record<string, PdfValue> = { Size: num(w.size), Root: rootRef };
  for (const key of ['Info', 'ID'] as const) {
    const v = reader.trailer.get(key);
    if (v !== undefined) trailer[key] = v;
  }
  return w.write(input.pdf, serialize(dict(trailer)), reader.startxref);
}
