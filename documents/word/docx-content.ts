import type { Document, Element } from '@xmldom/xmldom';
import { hasPdfMagic } from '../pdf/pdf-magic';
import { DEFAULT_DOCX_LIMITS, isXmlPart, tooComplex, type DocxEntry, type DocxLimits } from './docx-archive';
import { detectGraphicFormat } from './graphic-format';
import { PICTURE_FORMAT_NAMES, readPicture } from './picture-parts';
import { MAX_PICTURE_PIXELS, MAX_TEMPLATE_PICTURE_PIXELS, visitDeclaredSizes } from './picture-size';
import { checkSvg, isSvgImage } from './svg-content';
import { CDATA_SECTION_NODE, ELEMENT_NODE, notDocx, parsePart, readsAsXmlText, TEXT_NODE, unsafe, walk, XMLNS } from './xml-part';

/**
 * What a template may contain besides text, checked on the decoded parts before docxtemplater or LibreOffice
 * see them. Every XML part is PARSED (namespace-aware, never expanding a DTD): a regex over the raw text was
 * bypassed by entity-encoded values (`TargetMode="&#69;xternal"`), decoy attributes (`xType="…hyperlink"`),
 * prefixed elements, CDATA sections and prefixes bound to the WordprocessingML namespace.
 *  - Every part LibreOffice may read as XML must be UTF-8, well-formed and without a DTD (`<!DOCTYPE` /
 *    `<!ENTITY`: entity expansion is never needed in OOXML). Otherwise NOT_A_DOCX (DOCX_UNSAFE_CONTENT for a DTD).
 *    How: xml-part.ts.
 *  - No external relationship except a hyperlink that only `<w:hyperlink r:id>` of its own part refers to:
 *    LibreOffice resolves a relationship id wherever it is used (`<a:blip r:link>`, `r:embed`,
 *    `<v:imagedata r:id>`, an attached template…) whatever its Type, and would fetch the URL or read the file.
 *  - No alternative-format chunk (`<w:altChunk>`): LibreOffice imports it as a document of its own.
 *  - No field that pulls content in (INCLUDE, INCLUDETEXT, INCLUDEPICTURE, IMPORT, LINK, DDE, DDEAUTO).
 *  - No embedded object: OLE objects and embedded files (`oleObject`, `package` relationships, `<w:object>`,
 *    `<o:OLEObject>`) and ActiveX controls (`control`, `activeXControlBinary`, `<w:control>`), each refused by
 *    its relationship and by its element, either alone: LibreOffice hands their bytes to other import filters
 *    (spreadsheets, presentations, OLE storage…), a parser surface no contract template needs.
 *  - SVG images only refer to themselves or to embedded PNG/JPEG/GIF data, and run no code (svg-content.ts):
 *    checked in every part that is SVG by its content type, its name or its bytes.
 *  - No PostScript (EPS) or PDF part (by its bytes: LibreOffice would hand it to those importers as an image),
 *    and no macro project (`vbaProject`).
 *  - A picture element may name any part, whatever its relationship Type, and LibreOffice hands the part's
 *    bytes to the image filter its detection picks from them (graphic-format.ts). So pictures are PNG, JPEG,
 *    GIF, BMP, EMF or WMF as LibreOffice detects them (picture-parts.ts): a part an `image` relationship names
 *    that is neither XML nor SVG nor one of these is refused. Any other such part (an embedded font, printer
 *    settings, data in another format) is kept in the template but its bytes are withheld from the package
 *    LibreOffice converts (`DocxPackage.withheld`; the part stays, empty: LibreOffice refuses to open a
 *    document whose embedded font part is missing). And no XML part may be an image to that detection (XML
 *    text can carry the XBM, XPM, EPS, PCD or PICT signatures it looks for), nor an SVG image any image but
 *    SVG (`checkNotAnImage`, on the template and again on the filled .docx: a value can carry them too).
 */

const REL_TYPES = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const STRICT_REL_TYPES = 'http://purl.oclc.org/ooxml/officeDocument/relationships';
const HYPERLINK_TYPES = new Set([`${REL_TYPES}/hyperlink`, `${STRICT_REL_TYPES}/hyperlink`]);
/** The `r:` namespace of `r:id`, transitional and strict. */
const R_NAMESPACES = new Set([REL_TYPES, STRICT_REL_TYPES]);
/** The `w:` namespace, transitional and strict (LibreOffice reads both). */
const W_NAMESPACES = new Set(['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main']);
/** Field instructions that read a file or URL (INCLUDE is the old name of INCLUDETEXT). */
const EXTERNAL_FIELD = /(?<![A-Z])(?:INCLUDE(?:TEXT|PICTURE)?|IMPORT|LINK|DDE(?:AUTO)?)(?![A-Z])/;
/**
 * Relationship types (last segment, lower case, in any namespace: transitional, strict, and Microsoft's for
 * `activeXControlBinary`) of embedded objects: an OLE object or embedded file (`word/embeddings/oleObject1.bin`,
 * `Microsoft_Excel_Worksheet.xlsx`), an ActiveX control and its binary state.
 */
const EMBEDDED_OBJECT_TYPES = new Set(['oleobject', 'package', 'control', 'activexcontrolbinary']);
/** The VML `o:` namespace of `<o:OLEObject>`. */
const O_NAMESPACE = 'urn:schemas-microsoft-com:office:office';
const NO_EMBEDDED_OBJECTS = 'embedded objects (OLE, ActiveX) are not allowed in a template';
/** Relationship types (last segment, lower case) of macro projects: a .docx holds none (Word refuses to open one that does). */
const MACRO_TYPES = new Set(['vbaproject', 'vbadata', 'keymapcustomizations']);
/**
 * Starts of PostScript files (EPS, also the binary DOS EPS header); a PDF is found as PDF readers find it
 * (`hasPdfMagic`: `%PDF-` within the first 1024 bytes). LibreOffice picks an image's format from its bytes and
 * hands these to its PostScript and PDF importers; Word inserts neither as a picture.
 */
const POSTSCRIPT_STARTS = [[...'%!PS'].map((c) => c.charCodeAt(0)), [0xc5, 0xd0, 0xd3, 0xc6]];

function foreignDocument(data: Uint8Array): string | null {
  if (POSTSCRIPT_STARTS.some((start) => start.every((byte, i) => data[i] === byte))) return 'a PostScript (EPS) image';
  return hasPdfMagic(data) ? 'a PDF' : null;
}
/** A part named as an SVG image (`.svgz` is gzip, refused by svg-content.ts). */
const SVG_NAME = /\.svgz?$/i;

/**
 * What [Content_Types].xml and the relationship parts say about a package, read (and checked) once: which
 * parts are XML for the budgets of docx-template.ts, which external links each part has.
 */
export interface DocxPackage {
  /** The entries by `partKey`. */
  byName: Map<string, DocxEntry>;
  links: PartLinks;
  /**
   * Every part docxtemplater or LibreOffice may read as XML, whatever its name: named `.xml`/`.rels`;
   * declared with an XML content type in [Content_Types].xml (Override by part name, Default by extension:
   * that is how docxtemplater picks the parts it compiles, `word/document.dat` too); or XML text by its
   * bytes (`readsAsXmlText`), whatever its name: LibreOffice reads a header or the main document from
   * whatever part a relationship id names, of any Type (`media/header.png` too), and binary data fails its
   * parser at the first binary bytes.
   */
  xmlParts: DocxEntry[];
  /**
   * Every SVG image (also in `xmlParts`, for the budgets): declared `image/svg+xml` in [Content_Types].xml,
   * named `.svg`/`.svgz`, or one by its bytes whatever its name (`isSvgImage`: how LibreOffice picks an image's
   * format, an `r:embed` may name any part).
   */
  svgParts: DocxEntry[];
  /**
   * The parts LibreOffice may open as document parts: named `.xml`/`.rels` or XML text by their bytes (a part
   * only DECLARED as XML is not one: docxtemplater only edits its text). A subset of `xmlParts`.
   */
  documentParts: Set<DocxEntry>;
  /**
   * Parts that are neither read as XML nor SVG images nor pictures of an allowed format (picture-parts.ts):
   * embedded fonts, printer settings, anything else. Kept in the template; their bytes are never given to
   * LibreOffice (the filled .docx has them empty).
   */
  withheld: Set<DocxEntry>;
  /** Compressed metafiles (`.emz`/`.wmz`), inflated within the budgets: LibreOffice is given these bytes. */
  inflated: Map<DocxEntry, Uint8Array>;
  /** Parts already parsed (for the content types), not parsed twice. */
  parsed: Map<DocxEntry, Document>;
}

export function readDocxPackage(entries: DocxEntry[], limits: DocxLimits = DEFAULT_DOCX_LIMITS): DocxPackage {
  const byName = new Map<string, DocxEntry>();
  for (const entry of entries) {
    const name = partKey(entry.name);
    if (byName.has(name)) throw notDocx(`two zip entries named ${entry.name}`);
    byName.set(name, entry);
  }
  // Relationship parts first: they say which other parts are XML and which ids must be looked for.
  const links: PartLinks = { hyperlinkIds: new Map(), imageTargets: new Set() };
  for (const entry of entries) if (isRelationshipsPart(entry.name)) checkRelationships(entry, links);
  const parsed = new Map<DocxEntry, Document>();
  const declared = readContentTypes(byName, parsed);
  const xmlParts: DocxEntry[] = [];
  const svgParts: DocxEntry[] = [];
  const documentParts = new Set<DocxEntry>();
  const withheld = new Set<DocxEntry>();
  const inflated = new Map<DocxEntry, Uint8Array>();
  // What gzip parts decompress to, their starts sniffed for SVG and the compressed metafiles inflated, all together.
  let inflatedBytes = 0;
  const countInflated = (bytes: number) => {
    inflatedBytes += bytes;
    if (inflatedBytes > limits.maxTotalBytes) throw tooComplex(`its compressed parts decompress to more than ${limits.maxTotalBytes} bytes`);
  };
  let pixels = 0;
  for (const [name, entry] of byName) {
    const svg = declared.svg(name) || SVG_NAME.test(name) || isSvgImage(entry.data, countInflated);
    if (svg) svgParts.push(entry);
    if (isXmlPart(entry.name) || readsAsXmlText(entry.data)) documentParts.add(entry);
    if (svg || documentParts.has(entry) || declared.xml(name)) xmlParts.push(entry);
    if (svg || documentParts.has(entry)) continue;
    const picture = readPicture(entry.name, entry.data, limits.maxEntryBytes);
    if (!picture) {
      withheld.add(entry);
      continue;
    }
    if (picture.bytes !== entry.data) {
      inflated.set(entry, picture.bytes);
      countInflated(picture.bytes.byteLength);
    }
    // LibreOffice allocates the bitmap a picture declares, whatever its size on disk (picture-size.ts).
    visitDeclaredSizes(picture.format, picture.bytes, ({ width, height, unbounded }) => {
      if (unbounded) throw tooComplex(`the picture ${entry.name} holds a bitmap compressed in a way LibreOffice inflates without a bound (ZCOMPRESS)`);
      if (width * height > MAX_PICTURE_PIXELS) throw tooComplex(`the picture ${entry.name} is ${width} × ${height} pixels (at most ${MAX_PICTURE_PIXELS / 1e6} million)`);
      pixels += width * height;
      if (pixels > MAX_TEMPLATE_PICTURE_PIXELS) throw tooComplex(`its pictures have more than ${MAX_TEMPLATE_PICTURE_PIXELS / 1e6} million pixels together`);
    });
  }
  return { byName, links, xmlParts, svgParts, documentParts, withheld, inflated, parsed };
}

/**
 * What LibreOffice's image detection makes of a part it receives as XML text or as an SVG image, should a
 * picture element name it: an XML part must be no image at all, an SVG image an SVG (or nothing).
 */
export function checkNotAnImage(entry: DocxEntry, svg: boolean): void {
  const format = detectGraphicFormat(entry.data);
  if (format === null || (svg && format === 'SVG')) return;
  throw unsafe(`${entry.name} is an image (${format}) to LibreOffice's image detection`);
}

export function checkDocxContent(pkg: DocxPackage): void {
  const { byName, links } = pkg;
  // SVG images first (their own, stricter reading), then as any XML part below if they are one by their bytes.
  for (const entry of pkg.svgParts) checkSvg(entry);
  for (const entry of pkg.svgParts) checkNotAnImage(entry, true);
  for (const entry of pkg.documentParts) if (!pkg.svgParts.includes(entry)) checkNotAnImage(entry, false);
  for (const [name, entry] of byName) {
    const foreign = foreignDocument(entry.data);
    if (foreign) throw unsafe(`${entry.name} is ${foreign}: PostScript and PDF images are not allowed in a template`);
    if (links.imageTargets.has(name) && pkg.withheld.has(entry)) {
      throw unsafe(`the picture ${entry.name} is not a ${PICTURE_FORMAT_NAMES} image (by its bytes and name): save it as PNG or JPEG`);
    }
    if (isRelationshipsPart(entry.name)) continue;
    // Whatever names a document part and with which relationship Type: LibreOffice finds a header by its
    // relationship id and ignores the Type, so a `<w:hdr>` named `media/header.png` behind an `image`
    // relationship is a header.
    if (!pkg.documentParts.has(entry)) continue;
    checkPart(entry, links.hyperlinkIds.get(name), pkg.parsed.get(entry));
    links.hyperlinkIds.delete(name);
  }
  // An external hyperlink of a part that was not checked (missing, not XML, the package itself) is refused.
  const [unchecked] = links.hyperlinkIds.keys();
  if (unchecked !== undefined) throw unsafe(`an external link of ${unchecked || 'the package'}`);
}

// ————— parsing —————

/** Zip names compared the way a lenient reader might: case-insensitive, `\` as `/`, no leading `/`. */
const partKey = (name: string) => name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
const isRelationshipsPart = (name: string) => /\.rels$/i.test(name);

/** The value of the one attribute named `localName` (any prefix), undefined if none; two are ambiguous. */
function attribute(el: Element, localName: string, part: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i)!;
    if (attr.localName !== localName || attr.namespaceURI === XMLNS) continue;
    if (value !== undefined) throw notDocx(`${part} has an element with two ${localName} attributes`);
    value = attr.value;
  }
  return value;
}

// ————— relationships —————

export interface PartLinks {
  /** Per source part (key of `partKey`; '' is the package): ids of its external hyperlinks, lower case. */
  hyperlinkIds: Map<string, Set<string>>;
  /** The parts (keys of `partKey`) an internal `image` relationship names. */
  imageTargets: Set<string>;
}

/**
 * The relationships of one `…/_rels/<part>.rels`. Elements and attributes are matched by local name in any
 * namespace, so a prefixed `<p:Relationship>` or a relationship outside the package namespace is still seen.
 * External means any TargetMode but `Internal`, or a target with a URL scheme (`file:`, `http:`, `//host`).
 */
function checkRelationships(entry: DocxEntry, links: PartLinks): void {
  const source = partKey(entry.name.replace(/(^|[/\\])_rels[/\\]([^/\\]*)\.rels$/i, '$1$2'));
  const ids = new Set<string>();
  walk(parsePart(entry), (node) => {
    if (node.nodeType !== ELEMENT_NODE || node.localName !== 'Relationship') return;
    const el = node as Element;
    const id = (attribute(el, 'Id', entry.name) ?? '').trim().toLowerCase();
    const type = (attribute(el, 'Type', entry.name) ?? '').trim();
    const target = attribute(el, 'Target', entry.name) ?? '';
    const mode = attribute(el, 'TargetMode', entry.name);
    if (ids.has(id)) throw notDocx(`${entry.name} has two relationships ${id}`);
    ids.add(id);
    const kind = type.split('/').pop() || 'resource';
    if (kind === 'aFChunk') throw unsafe(`${entry.name} embeds an alternative-format chunk`);
    if (EMBEDDED_OBJECT_TYPES.has(kind.toLowerCase())) throw unsafe(`${entry.name} has an embedded object (${kind} relationship): ${NO_EMBEDDED_OBJECTS}`);
    if (MACRO_TYPES.has(kind.toLowerCase())) throw unsafe(`${entry.name} has a macro project (${kind} relationship): macros are not allowed in a template`);
    const external = (mode !== undefined && mode.trim() !== 'Internal') || /^\s*([a-z][a-z0-9+.-]*:|[/\\]{2})/i.test(target);
    if (!external) {
      if (kind.toLowerCase() === 'image') links.imageTargets.add(resolveTarget(source, target));
      return;
    }
    if (!HYPERLINK_TYPES.has(type)) throw unsafe(`${entry.name} links an external ${kind}`);
    const pending = links.hyperlinkIds.get(source) ?? new Set<string>();
    links.hyperlinkIds.set(source, pending.add(id));
  }, () => {});
}

/** The part an internal target names, relative to its source part's folder (key of `partKey`). */
function resolveTarget(source: string, target: string): string {
  let path = target.replace(/[#?].*$/s, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // not percent-encoded: taken as written
  }
  path = path.replace(/\\/g, '/');
  const folder = source.includes('/') ? source.slice(0, source.lastIndexOf('/') + 1) : '';
  const segments: string[] = [];
  for (const segment of (path.startsWith('/') ? path : folder + path).split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return partKey(segments.join('/'));
}

// ————— content types —————

/** `…+xml`, `application/xml`, `text/xml` (parameters allowed). */
const XML_CONTENT_TYPE = /(?:\+|^(?:application|text)\/)xml\s*(?:;|$)/i;
/** `image/svg+xml` (parameters allowed): an XML content type too. */
const SVG_CONTENT_TYPE = /^image\/svg\+xml\s*(?:;|$)/i;

/** The parts (keys of `partKey`) one content type is declared for: by name (Override) and by extension (Default). */
interface Declared {
  parts: Set<string>;
  extensions: Set<string>;
}

/**
 * Whether [Content_Types].xml declares a part (key of `partKey`) with an XML content type, and with the SVG
 * one. Read as broadly as any reader may: elements by local name, part names as written (docxtemplater) and
 * resolved (LibreOffice), extensions as case-insensitive name suffixes (docxtemplater's test, without the dot;
 * '' matches every part), an XML (or SVG) Override or Default counting even where the other says otherwise.
 */
function readContentTypes(byName: Map<string, DocxEntry>, parsed: Map<DocxEntry, Document>): { xml: (name: string) => boolean; svg: (name: string) => boolean } {
  const xml: Declared = { parts: new Set(), extensions: new Set() };
  const svg: Declared = { parts: new Set(), extensions: new Set() };
  for (const [name, entry] of byName) {
    if (name !== '[content_types].xml') continue;
    const doc = parsePart(entry);
    parsed.set(entry, doc);
    walk(doc, (node) => {
      if (node.nodeType !== ELEMENT_NODE) return;
      const el = node as Element;
      if (el.localName !== 'Override' && el.localName !== 'Default') return;
      const contentType = (attribute(el, 'ContentType', entry.name) ?? '').trim();
      for (const declared of [XML_CONTENT_TYPE.test(contentType) && xml, SVG_CONTENT_TYPE.test(contentType) && svg]) {
        if (!declared) continue;
        if (el.localName === 'Default') {
          declared.extensions.add((attribute(el, 'Extension', entry.name) ?? '').toLowerCase());
          continue;
        }
        const partName = attribute(el, 'PartName', entry.name) ?? '';
        declared.parts.add(partKey(partName)).add(partKey(partName.slice(1))).add(resolveTarget('', partName));
      }
    }, () => {});
  }
  return { xml: isDeclared(xml), svg: isDeclared(svg) };
}

function isDeclared({ parts, extensions }: Declared): (name: string) => boolean {
  const suffixes = [...extensions];
  return (name) => parts.has(name) || suffixes.some((extension) => name.endsWith(extension));
}

// ————— parts —————

/**
 * One XML part: its field instructions, alternative-format chunks, and the uses of its external hyperlink
 * ids. An id may only be the `r:id` of a `w:hyperlink` (namespace-resolved); any other attribute holding it
 * (`r:link`, `r:embed`, `r:id` of `v:imagedata`, `o:relid`…) would make LibreOffice fetch the target.
 */
function checkPart(entry: DocxEntry, hyperlinkIds: Set<string> | undefined, doc = parsePart(entry)): void {
  const instructions: string[] = [];
  let inInstruction = 0;
  walk(
    doc,
    (node) => {
      if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) {
        if (inInstruction > 0) instructions.push(node.nodeValue ?? '');
        return;
      }
      if (node.nodeType !== ELEMENT_NODE) return;
      const el = node as Element;
      if (isInstructionText(el)) inInstruction++;
      if (el.localName === 'fldSimple') instructions.push(` ${attributesNamed(el, 'instr').join(' ')} `);
      if (el.localName === 'altChunk') throw unsafe(`${entry.name} embeds an alternative-format chunk`);
      if (isEmbeddedObject(el)) throw unsafe(`${entry.name} has an embedded object (<${el.tagName}>): ${NO_EMBEDDED_OBJECTS}`);
      if (hyperlinkIds) checkIdUses(el, hyperlinkIds, entry.name);
    },
    (node) => {
      if (node.nodeType === ELEMENT_NODE && isInstructionText(node as Element)) inInstruction--;
    },
  );
  // Instruction runs are joined without a separator: a keyword split across runs is still seen.
  if (EXTERNAL_FIELD.test(instructions.join('').toUpperCase())) throw unsafe(`${entry.name} has a field that includes external content`);
}

/**
 * `<w:instrText>` and `<w:delInstrText>` (a field in a tracked deletion), by local name in any namespace: both
 * WordprocessingML namespaces are read by LibreOffice, and no other vocabulary of a .docx uses these names.
 */
const isInstructionText = (el: Element) => el.localName === 'instrText' || el.localName === 'delInstrText';

/** `<w:object>` (an OLE object) and `<w:control>` (an ActiveX control) in either w: namespace, `<o:OLEObject>` of VML. */
function isEmbeddedObject(el: Element): boolean {
  const namespace = el.namespaceURI ?? '';
  if (el.localName === 'object' || el.localName === 'control') return W_NAMESPACES.has(namespace);
  return el.localName === 'OLEObject' && namespace === O_NAMESPACE;
}

function attributesNamed(el: Element, localName: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i)!;
    if (attr.localName === localName && attr.namespaceURI !== XMLNS) values.push(attr.value);
  }
  return values;
}

function checkIdUses(el: Element, hyperlinkIds: Set<string>, part: string): void {
  const isHyperlink = el.localName === 'hyperlink' && W_NAMESPACES.has(el.namespaceURI ?? '');
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i)!;
    if (!hyperlinkIds.has(attr.value.trim().toLowerCase())) continue;
    if (isHyperlink && attr.localName === 'id' && R_NAMESPACES.has(attr.namespaceURI ?? '')) continue;
    throw unsafe(`${part} uses the external link ${attr.value.trim()} in <${el.tagName} ${attr.name}>`);
  }
}
