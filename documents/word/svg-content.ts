import type { Element, ProcessingInstruction } from '@xmldom/xmldom';
import type { DocxEntry } from './docx-archive';
import { detectGraphicFormat } from './graphic-format';
import { gunzipStart, isGzip } from './gzip-part';
import { ELEMENT_NODE, looksLikeXml, parsePart, PROCESSING_INSTRUCTION_NODE, unsafe, walk, XMLNS } from './xml-part';

/**
 * SVG images of a template, checked before LibreOffice renders them. Word 2016+ keeps an inserted SVG as it is
 * (`word/media/image1.svg`, named by `<asvg:svgBlip r:embed>` in the extensions of `<a:blip>`, beside a PNG
 * fallback), and LibreOffice's SVG reader loads what an `<image>` refers to: `<image href="file:///etc/passwd">`
 * or `http://169.254.169.254/…` would be read or fetched while converting. Scripts, HTML and style sheets are
 * further ways to do the same, or worse.
 *
 * Which parts are SVG: declared `image/svg+xml` or named `.svg` (docx-content.ts), and any part that is one by
 * its bytes (`isSvgImage`), whatever its name, content type or relationship: LibreOffice picks the format of an
 * image from its first bytes (`<svg` in the first 8 KiB, decompressed first if gzip: an `.svgz`).
 * Each SVG:
 *  - is read like every XML part (UTF-8, well-formed, no DTD: xml-part.ts), else DOCX_UNSAFE_CONTENT;
 *  - refers only to itself (`#id`) or embeds a base64 `data:` image whose bytes are PNG, JPEG or GIF (LibreOffice
 *    sniffs embedded images too: an SVG sent as `data:image/png` is read as an SVG): every `href` (`xlink:href`,
 *    any namespace), `src` and `xml:base`, every CSS `url(…)` in any attribute (`style`, `fill`, `filter`…) and
 *    in `<style>`. Values are checked as decoded (character references by the parser, CSS escapes here);
 *  - has no `<script>`, `<foreignObject>`, `<iframe>`, `<embed>`, `<object>` (nor other element that runs code
 *    or embeds a document), no `on…` attribute, no CSS `@import` or image function (`image-set()`), no
 *    `<?xml-stylesheet?>`, no animation of a reference (`<set attributeName="href">`);
 *  - is not compressed: a gzip part that does not decompress to EMF or WMF (`.emz`, `.wmz`, which Word may
 *    write) is taken for an `.svgz` and refused unread.
 */

/** `<svg` or `<prefix:svg` as an element name, in any case (LibreOffice looks for `<svg`). */
const SVG_ELEMENT = /<(?:[^\s<>/?!:=]{1,64}:)?svg[\s/>]/i;

/** Elements that run code or embed another document (by local name, any namespace and case). */
const FORBIDDEN_ELEMENTS = new Set(['script', 'foreignobject', 'iframe', 'frame', 'embed', 'object', 'applet', 'handler', 'listener']);
/** Elements that change an attribute over time: one that animates a reference would load what it names. */
const ANIMATIONS = new Set(['set', 'animate', 'animatecolor', 'animatemotion', 'animatetransform']);
/** Attributes (local names, any namespace and case) holding a URL that is loaded or resolved against. */
const REFERENCE_ATTRIBUTES = new Set(['href', 'src', 'base']);
/** CSS functions that load an image from a string (the `url(…)` and `src(…)` ones are checked instead). */
const CSS_IMAGE_FUNCTION = /(?:image-set|image|cross-fade)\s*\(/i;
const CSS_URL = /(?:url|src)\s*\(\s*(?:"([^"]*)"?|'([^']*)'?|([^)]*))/gi;
/**
 * The raster formats an SVG image may embed. LibreOffice hands the decoded bytes to its image detection
 * (graphic-format.ts), whose first match wins: a PNG, JPEG or GIF start (no earlier test can match one) decides it.
 */
const RASTER_FORMATS = ['PNG', 'JPG', 'GIF'];

/**
 * Whether bytes are an SVG image for LibreOffice, or may be: XML with an `<svg` element, or gzip data that is not
 * EMF/WMF. The start of a gzip part is decompressed to tell (up to 1 MiB from its first KiB): `countInflated`
 * takes its size, against the template's budget (1,000 such parts of 1 KiB allocated 1 GB).
 */
export function isSvgImage(data: Uint8Array, countInflated: (bytes: number) => void): boolean {
  if (isGzip(data)) {
    const start = gunzipStart(data);
    countInflated(start.byteLength);
    return !isMetafile(start);
  }
  if (!looksLikeXml(data)) return false; // an XML parser refuses anything else before the root element
  let text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
  if (text.includes('\0')) text = text.replace(/\0/g, ''); // UTF-16 and UTF-32 text, read byte by byte
  return SVG_ELEMENT.test(text) || hasSvgDoctype(text.slice(0, 8192));
}

/** LibreOffice's other SVG test (`<?xml`, `version`, `DOCTYPE`, `svg` in its first 256 bytes), here on 8 KiB; the DTD is then refused. */
function hasSvgDoctype(head: string): boolean {
  const doctype = head.search(/DOCTYPE/i);
  return doctype >= 0 && /svg/i.test(head.slice(doctype));
}

/** Refuses an SVG image (any part `isSvgImage` or declared/named SVG) that refers to anything but itself or could run code. */
export function checkSvg(entry: DocxEntry): void {
  if (isGzip(entry.data)) throw unsafe(`${entry.name} is a compressed SVG image (svgz)`);
  const doc = parsePart(entry, (why) => unsafe(`an SVG image that cannot be checked: ${why}`));
  walk(doc, (node) => {
    if (node.nodeType === PROCESSING_INSTRUCTION_NODE) checkInstruction(node as ProcessingInstruction, entry.name);
    if (node.nodeType === ELEMENT_NODE) checkElement(node as Element, entry.name);
  });
}

// ————— compressed images —————

/** LibreOffice's EMF and WMF tests (the formats of `.emz` and `.wmz`), which come before its SVG test. */
const isMetafile = (start: Uint8Array) => ['EMF', 'WMF'].includes(detectGraphicFormat(start) ?? '');

// ————— the SVG document —————

/** `<?xml-stylesheet href="…"?>` loads a style sheet (other processing instructions are ignored by renderers). */
function checkInstruction(instruction: ProcessingInstruction, part: string): void {
  if (instruction.target.trim().toLowerCase() === 'xml-stylesheet') throw unsafe(`${part} links a style sheet (<?xml-stylesheet?>)`);
}

function checkElement(el: Element, part: string): void {
  const name = (el.localName ?? el.nodeName).toLowerCase();
  if (FORBIDDEN_ELEMENTS.has(name)) throw unsafe(`${part} has the element <${el.tagName}> (no scripts or embedded documents in an SVG image)`);
  if (ANIMATIONS.has(name)) {
    // `attributeName="xlink:href"`: the local name after any prefix.
    const animated = attributeValues(el, 'attributename').find((value) => REFERENCE_ATTRIBUTES.has(value.trim().toLowerCase().replace(/^.*:/, '')));
    if (animated !== undefined) throw unsafe(`${part} animates a reference (<${el.tagName} attributeName="${shorten(animated)}">)`);
  }
  if (name === 'style') checkCss(el.textContent ?? '', part, `<${el.tagName}>`);
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i)!;
    if (attr.namespaceURI === XMLNS) continue;
    const attrName = (attr.localName ?? attr.name).toLowerCase();
    const where = `<${el.tagName} ${attr.name}="${shorten(attr.value)}">`;
    if (attrName.startsWith('on')) throw unsafe(`${part} has an event handler ${where}`);
    if (REFERENCE_ATTRIBUTES.has(attrName)) checkReference(attr.value, part, where);
    checkCss(attr.value, part, where);
  }
}

function attributeValues(el: Element, lowerCaseName: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i)!;
    if ((attr.localName ?? attr.name).toLowerCase() === lowerCaseName && attr.namespaceURI !== XMLNS) values.push(attr.value);
  }
  return values;
}

/** A value for a message: at most 60 characters, control characters escaped (it goes to the logs). */
const shorten = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value).slice(1, -1);

/**
 * A value read as CSS (a `style` attribute, a presentation attribute such as `fill="url(#g)"`, the text of
 * `<style>`), after its escapes: no `@import`, no image function, and every `url(…)`/`src(…)` a reference to
 * the SVG itself or an embedded raster image. Comments are left in (a URL in a comment is refused too).
 */
function checkCss(value: string, part: string, where: string): void {
  if (!/[\\(@]/.test(value)) return; // no escape, function or at-rule
  const css = decodeCssEscapes(value);
  if (/@import/i.test(css)) throw unsafe(`${part} imports a style sheet in ${where}`);
  if (CSS_IMAGE_FUNCTION.test(css)) throw unsafe(`${part} loads an image with a CSS function in ${where}`);
  for (const match of css.matchAll(CSS_URL)) checkReference(match[1] ?? match[2] ?? match[3] ?? '', part, where);
}

/** CSS text with its escapes decoded, as a CSS parser reads it: `\75 rl(` is `url(`, `@\69mport` is `@import`. */
function decodeCssEscapes(css: string): string {
  return css.replace(/\\(?:([0-9a-f]{1,6})[ \t\n\r\f]?|([\s\S]))/gi, (_escape, hex: string | undefined, char: string | undefined) => {
    if (hex === undefined) return /[\n\r\f]/.test(char ?? '') ? '' : (char ?? '');
    const code = parseInt(hex, 16);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
  });
}

/**
 * A URL an SVG may hold: a fragment of the SVG itself (`#id`) or an embedded raster image. The value is read as
 * a URL parser reads it (spaces and controls around it dropped, tabs and newlines anywhere): `java\tscript:`,
 * ` http://…`, a relative path (resolved against the document, i.e. a local file) and `javascript:` are refused.
 */
function checkReference(value: string, part: string, where: string): void {
  const url = trimControlsAndSpaces(value.replace(/[\t\n\r]/g, ''));
  if (url.startsWith('#')) return;
  if (/^data:/i.test(url)) {
    if (isRasterDataUri(url)) return;
    throw unsafe(`${part} embeds data that is not a PNG, JPEG or GIF image in ${where}`);
  }
  throw unsafe(`${part} refers to an external resource in ${where}`);
}

/** The value without C0 controls and spaces at either end, in one pass (a regex anchored at the end was n² on a run of spaces). */
function trimControlsAndSpaces(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) <= 0x20) start++;
  while (end > start && value.charCodeAt(end - 1) <= 0x20) end--;
  return value.slice(start, end);
}

/** `data:image/…;base64,` whose bytes are PNG, JPEG or GIF (strict base64: no percent-encoding read two ways). */
function isRasterDataUri(url: string): boolean {
  const comma = url.indexOf(',');
  if (comma < 0) return false;
  const header = url.slice(5, comma).split(';').map((param) => param.trim().toLowerCase());
  if (!header[0]?.startsWith('image/') || header[0].includes('svg') || header[header.length - 1] !== 'base64') return false;
  const payload = url.slice(comma + 1);
  if (!/^[A-Za-z0-9+/=\s]*$/.test(payload)) return false;
  const start = Buffer.from(payload.replace(/\s+/g, '').slice(0, 16), 'base64');
  return RASTER_FORMATS.includes(detectGraphicFormat(start) ?? '');
}
