import { DOMParser, type Document, type Node } from '@xmldom/xmldom';
import { DocumentError } from '../errors';
import type { DocxEntry } from './docx-archive';

/**
 * Reading one part of a template as XML, the same careful way for every checker (docx-content.ts for the
 * WordprocessingML and package parts, svg-content.ts for SVG images): UTF-8 only, no DTD, well-formed, parsed
 * into a namespace-aware DOM and walked without recursion.
 */

export const unsafe = (why: string) => new DocumentError('DOCX_UNSAFE_CONTENT', `the .docx has content that is not allowed in a template: ${why}`);
export const notDocx = (why: string) => new DocumentError('NOT_A_DOCX', `not a Word .docx file: ${why}`);

export const XMLNS = 'http://www.w3.org/2000/xmlns/';
export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;
export const PROCESSING_INSTRUCTION_NODE = 7;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The starts of an XML document in UTF-16, UTF-32 or EBCDIC, which an XML parser detects (with or without a byte order mark). */
const OTHER_ENCODING_STARTS = [[0xfe, 0xff], [0xff, 0xfe], [0x3c, 0x00], [0x00, 0x3c], [0x00, 0x00, 0x00, 0x3c], [0x00, 0x00, 0x3c, 0x00], [0x00, 0x00, 0xfe, 0xff], [0x4c, 0x6f, 0xa7, 0x94]];

/** Whether bytes could be read as XML: `<` first (after a UTF-8 byte order mark and white space), or another encoding's start. */
export function looksLikeXml(data: Uint8Array): boolean {
  let i = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  while (data[i] === 0x20 || data[i] === 0x09 || data[i] === 0x0a || data[i] === 0x0d) i++;
  return data[i] === 0x3c || OTHER_ENCODING_STARTS.some((start) => start.every((byte, j) => data[j] === byte));
}

/**
 * Whether a part is XML text by its bytes, whatever names it: it `looksLikeXml` and is UTF-8 text without NUL
 * (or starts like XML in another encoding). Binary data that merely begins with `<` (an obfuscated font starts
 * with random bytes) is not: it fails UTF-8 at its first binary bytes, and an XML parser would fail there too.
 */
export function readsAsXmlText(data: Uint8Array): boolean {
  if (!looksLikeXml(data)) return false;
  if (OTHER_ENCODING_STARTS.some((start) => start.every((byte, j) => data[j] === byte))) return true;
  if (data.includes(0)) return false;
  try {
    utf8.decode(data);
    return true;
  } catch {
    return false;
  }
}

/** Why a part cannot be read (not UTF-8, another encoding declared, not well-formed): NOT_A_DOCX unless the caller says otherwise. */
export type Unreadable = (why: string) => DocumentError;

/**
 * The text of an XML part, refused unless it is UTF-8 (the encoding the checks read it in: a part in another
 * encoding would be read differently by LibreOffice) and has no DTD (DOCX_UNSAFE_CONTENT whatever the caller).
 */
function decodePart(entry: DocxEntry, unreadable: Unreadable): string {
  let xml: string;
  try {
    xml = utf8.decode(entry.data); // a UTF-8 byte order mark is dropped; UTF-16 ones are not UTF-8
  } catch {
    throw unreadable(`${entry.name} is not UTF-8`);
  }
  if (xml.includes('\0')) throw unreadable(`${entry.name} is not UTF-8`);
  const encoding = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(xml)?.[1];
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding.trim())) throw unreadable(`${entry.name} declares the encoding ${encoding}`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw unsafe(`${entry.name} declares a DTD`);
  return xml;
}

/**
 * A part parsed into a namespace-aware DOM. Any parser diagnostic refuses the part (xmldom recovers from some
 * malformed markup, e.g. unquoted attribute values, that LibreOffice's parser may read differently), except
 * U+FFFD in the text, which is a real character.
 */
export function parsePart(entry: DocxEntry, unreadable: Unreadable = notDocx): Document {
  const xml = decodePart(entry, unreadable);
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level === 'warning' && message.startsWith('Unicode replacement character')) return;
      throw new Error(message);
    },
  });
  try {
    return parser.parseFromString(xml, 'text/xml');
  } catch {
    throw unreadable(`${entry.name} is not well-formed XML`);
  }
}

/** Every node of a document in order, with `leave` called after an element's children (no recursion: parts nest deep). */
export function walk(doc: Document, enter: (node: Node) => void, leave: (node: Node) => void = () => {}): void {
  let node: Node | null = doc.firstChild;
  while (node) {
    enter(node);
    if (node.firstChild) {
      node = node.firstChild;
      continue;
    }
    while (node) {
      leave(node);
      if (node.nextSibling) {
        node = node.nextSibling;
        break;
      }
      node = node.parentNode === doc ? null : node.parentNode;
    }
  }
}
