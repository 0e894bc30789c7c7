import Docxtemplater from 'docxtemplater';
import type InspectModule from 'docxtemplater/js/inspect-module.js';
import PizZip from 'pizzip';
import { DocumentError } from '../errors';
import { DEFAULT_DOCX_LIMITS, isXmlPart, readDocxEntries, tooComplex, type DocxEntry, type DocxLimits } from './docx-archive';
import { checkDocxContent, checkNotAnImage, readDocxPackage, type DocxPackage } from './docx-content';
import { placeholderInspectModule } from './placeholder-inspect';

/**
 * Word templates with docxtemplater (in-thread implementations; documents/pool runs them in worker threads).
 * Only simple `{tag}` placeholders are supported (a field is one string): loops, conditions and raw-XML tags
 * are refused with DOCX_TEMPLATE_INVALID, like malformed tags.
 */

/** At most this many distinct tags per template (a field each). */
export const MAX_DOCX_TAGS = 200;
/**
 * At most this many tag openings (`{`) in all XML parts, counted before docxtemplater compiles them:
 * its cost grows with every occurrence (110,000 in a 26 KB upload ran a thread out of memory).
 */
export const MAX_DOCX_TAG_OCCURRENCES = 5000;
/**
 * At most this many XML tags (`<`) in all XML parts: docxtemplater's cost grows with each (≈ 7 µs in a
 * document thread, most of it garbage collection), so a 12 KB upload of 1.3 million empty runs held a
 * thread for 15 s. 100,000 is a Word document of 150–200 pages and costs at most ≈ 0.7 s.
 */
export const MAX_DOCX_XML_TAGS = 100_000;
const MAX_TAG_LENGTH = 100;

interface XtErrorLike {
  name?: string;
  message?: string;
  properties?: { id?: string; explanation?: string; xtag?: string; errors?: XtErrorLike[] };
}

function templateError(err: unknown): DocumentError {
  const e = err as XtErrorLike;
  if (!e || typeof e !== 'object' || !('properties' in e) || !e.properties) {
    return new DocumentError('DOCX_TEMPLATE_INVALID', `the template cannot be processed: ${(err as Error)?.message ?? String(err)}`);
  }
  const first = e.properties.errors?.[0] ?? e;
  const explanation = first.properties?.explanation ?? first.message ?? 'template error';
  return new DocumentError('DOCX_TEMPLATE_INVALID', `invalid template tag: ${explanation}`);
}

/**
 * The XML budgets (decoded size within `limits.maxXmlBytes`, MAX_DOCX_TAG_OCCURRENCES tag openings and
 * MAX_DOCX_XML_TAGS XML tags in all)
 * over `parts`. They apply to every part docxtemplater or LibreOffice may read as XML, not only to the ones
 * NAMED `.xml`/`.rels`: a main document named `word/document.dat`, declared in [Content_Types].xml and
 * targeted by `_rels/.rels`, was compiled by docxtemplater within the 32 MiB budget of images and with no tag
 * count (80,000 tags: 1.5 s, 273 MB). `readDocxPackage` says which parts those are (docx-content.ts).
 */
function checkXmlBudgets(parts: DocxEntry[], limits: DocxLimits): void {
  let openings = 0;
  let xmlTags = 0;
  for (const part of parts) {
    if (part.data.byteLength > limits.maxXmlBytes) throw tooComplex(`${part.name} decodes to ${part.data.byteLength} bytes (limit ${limits.maxXmlBytes})`);
    for (let i = part.data.indexOf(0x7b); i >= 0; i = part.data.indexOf(0x7b, i + 1)) {
      if (++openings > MAX_DOCX_TAG_OCCURRENCES) throw new DocumentError('DOCX_TOO_COMPLEX', `more than ${MAX_DOCX_TAG_OCCURRENCES} tag openings ("{")`);
    }
    for (let i = part.data.indexOf(0x3c); i >= 0; i = part.data.indexOf(0x3c, i + 1)) {
      if (++xmlTags > MAX_DOCX_XML_TAGS) throw tooComplex(`more than ${MAX_DOCX_XML_TAGS} XML tags`);
    }
  }
}

/** A PizZip built from the entries decoded within budgets (pizzip itself never inflates the upload). */
function openTemplate(docx: Uint8Array, limits: DocxLimits): { doc: Docxtemplater; inspect: InspectModule; pkg: DocxPackage } {
  const entries = readDocxEntries(docx, limits);
  // The budgets of the parts named as XML first, on bytes: the content check parses every XML part, which
  // costs seconds for the largest parts, while this refuses a part full of tags in milliseconds.
  checkXmlBudgets(entries.filter((entry) => isXmlPart(entry.name)), limits);
  // Then of every part read as XML, as [Content_Types].xml and the relationship parts (parsed here) say.
  const pkg = readDocxPackage(entries, limits);
  checkXmlBudgets(pkg.xmlParts, limits);
  checkDocxContent(pkg);
  // The bytes of fonts, printer settings and other parts that are no allowed picture never reach LibreOffice
  // (docx-content.ts): the part stays, empty, so that the relationships naming it still resolve.
  const zip = new PizZip();
  for (const entry of entries) zip.file(entry.name, convertedBytes(pkg, entry), { binary: true, createFolders: false });
  const inspect = placeholderInspectModule();
  try {
    const doc = new Docxtemplater(zip, { modules: [inspect], paragraphLoop: true, linebreaks: true, nullGetter: () => '', errorLogging: false });
    return { doc, inspect, pkg };
  } catch (err) {
    throw templateError(err);
  }
}

interface StructuredTag {
  type?: string;
  value?: string;
  module?: string;
}

function simpleTags(inspect: InspectModule): string[] {
  const tags: string[] = [];
  for (const part of inspect.getAllStructuredTags() as StructuredTag[]) {
    if (part.type !== 'placeholder' || typeof part.value !== 'string') continue;
    if (part.module) throw new DocumentError('DOCX_TEMPLATE_INVALID', `only simple {tag} placeholders are supported, found a ${part.module} tag "${part.value}"`);
    const tag = part.value;
    if (!tag.trim() || tag.length > MAX_TAG_LENGTH) throw new DocumentError('DOCX_TEMPLATE_INVALID', `tag "${tag.slice(0, 40)}" is empty or longer than ${MAX_TAG_LENGTH} characters`);
    if (!tags.includes(tag)) tags.push(tag);
    if (tags.length > MAX_DOCX_TAGS) throw new DocumentError('DOCX_TEMPLATE_INVALID', `more than ${MAX_DOCX_TAGS} distinct tags`);
  }
  return tags;
}

/** The distinct `{tag}` names of a template, in document order. */
export function listDocxTagsInThread(docx: Uint8Array, limits: DocxLimits = DEFAULT_DOCX_LIMITS): string[] {
  return simpleTags(openTemplate(docx, limits).inspect);
}

/** Filled XML in all (document, headers, footers…): at most this many times the per-part budget (values spread over several parts). */
const FILLED_XML_PARTS = 2;

/** The template with every tag replaced by its value (a missing value → empty; `\n` → line break). */
export function fillDocxInThread(docx: Uint8Array, values: Record<string, string>, limits: DocxLimits = DEFAULT_DOCX_LIMITS): Uint8Array {
  const { doc, inspect, pkg } = openTemplate(docx, limits);
  simpleTags(inspect);
  const data: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(values)) if (typeof value === 'string') data[key] = plainText(value);
  try {
    doc.render(data);
  } catch (err) {
    throw templateError(err);
  }
  const zip = doc.getZip();
  let filledBytes = 0;
  for (const entry of pkg.byName.values()) {
    const svg = pkg.svgParts.includes(entry);
    if (pkg.documentParts.has(entry) || svg) {
      // The values are in the XML parts now: what LibreOffice's image detection makes of them is checked again,
      // and their size against the budget again (5,000 tags × 2,000 characters would hand LibreOffice ~30 MB of XML).
      const filled = zip.file(entry.name);
      if (!filled) continue;
      const data = filled.asUint8Array();
      filledBytes += data.byteLength;
      if (data.byteLength > limits.maxXmlBytes || filledBytes > FILLED_XML_PARTS * limits.maxXmlBytes) {
        throw new DocumentError('DOCX_FILLED_TOO_LARGE', `${entry.name} is ${data.byteLength} bytes once filled (limit ${limits.maxXmlBytes} per part, ${FILLED_XML_PARTS * limits.maxXmlBytes} in all)`);
      }
      checkNotAnImage({ name: entry.name, data }, svg);
    } else {
      // Any other part goes out as checked: docxtemplater rewrites a part declared with an XML content type as
      // text, which turned a checked JPEG into bytes LibreOffice read as XBM.
      zip.file(entry.name, convertedBytes(pkg, entry), { binary: true, createFolders: false });
    }
  }
  return zip.generate({ type: 'uint8array', compression: 'DEFLATE' });
}

/**
 * The bytes of a part in the package LibreOffice converts: withheld ones empty (docx-content.ts), compressed
 * metafiles inflated (within the budgets), the others as they are.
 */
function convertedBytes(pkg: DocxPackage, entry: DocxEntry): Uint8Array {
  if (pkg.withheld.has(entry)) return new Uint8Array(0);
  return pkg.inflated.get(entry) ?? entry.data;
}

/** A character XML 1.0 does not allow in text: a C0 control but tab, line feed and carriage return; U+FFFE, U+FFFF. */
export const notXmlText = (code: number) => (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff;

/** A value as text of a Word document: line breaks as `\n` (a carriage return too), no characters XML forbids. */
function plainText(value: string): string {
  let text = '';
  for (const char of value.replace(/\r\n?/g, '\n')) if (!notXmlText(char.charCodeAt(0))) text += char;
  return text;
}
