import { DocumentError } from '../errors';
import { isXmlPart, type DocxEntry } from './docx-archive';

/**
 * What a template may contain besides text, checked on the decoded XML parts before docxtemplater or
 * LibreOffice see them:
 *  - no DTD (`<!DOCTYPE` / `<!ENTITY`): entity expansion is never needed in OOXML;
 *  - no external relationship except hyperlinks: linked images, OLE objects, sub-documents and attached
 *    templates would make LibreOffice reach for files or URLs while converting;
 *  - no field that pulls content in (INCLUDETEXT, INCLUDEPICTURE, LINK, DDE, DDEAUTO).
 * Refusals are NOT_A_DOCX (malformed) or DOCX_UNSAFE_CONTENT.
 */

const HYPERLINK_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink';
const unsafe = (why: string) => new DocumentError('DOCX_UNSAFE_CONTENT', `the .docx has content that is not allowed in a template: ${why}`);

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function checkDocxContent(entries: DocxEntry[]): void {
  for (const entry of entries) {
    if (!isXmlPart(entry.name)) continue;
    const xml = utf8.decode(entry.data);
    if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw unsafe(`${entry.name} declares a DTD`);
    if (entry.name.endsWith('.rels')) {
      for (const { tag: rel } of openingTags(xml, 'Relationship')) {
        if (!/TargetMode\s*=\s*["']External["']/.test(rel)) continue;
        const type = /Type\s*=\s*["']([^"']*)["']/.exec(rel)?.[1];
        if (type !== HYPERLINK_TYPE) throw unsafe(`${entry.name} links an external ${type?.split('/').pop() ?? 'resource'}`);
      }
    } else if (/INCLUDETEXT|INCLUDEPICTURE|(^|[^A-Z])(LINK|DDE|DDEAUTO)\b/.test(fieldInstructions(xml))) {
      throw unsafe(`${entry.name} has a field that includes external content`);
    }
  }
}

/** The field instruction text of a part: `<w:instrText>` runs and `<w:fldSimple w:instr="…">`. */
function fieldInstructions(xml: string): string {
  // instrText runs are joined without a separator: a keyword split across runs is still seen.
  let text = '';
  for (const { end } of openingTags(xml, 'w:instrText')) {
    const close = xml.indexOf('<', end);
    if (close >= 0 && xml.startsWith('</w:instrText>', close)) text += xml.slice(end, close);
  }
  for (const { tag } of openingTags(xml, 'w:fldSimple')) text += ` ${/\bw:instr\s*=\s*["']([^"']*)["']/.exec(tag)?.[1] ?? ''}`;
  return text.toUpperCase();
}

/**
 * The opening tags `<name …>` of a part, in one pass: each search starts where the last tag ended,
 * and a tag left open stops the scan (a regex like `<name\b[^>]*>` rescans to the end of the part
 * from every start, quadratic: 40,000 unclosed tags in 520 KB took 18 s).
 */
function* openingTags(xml: string, name: string): Generator<{ tag: string; end: number }> {
  const open = `<${name}`;
  for (let at = xml.indexOf(open); at >= 0; ) {
    const next = xml.charAt(at + open.length);
    const gt = xml.indexOf('>', at + open.length);
    if (gt < 0) return;
    if (next === '>' || next === '/' || /\s/.test(next)) yield { tag: xml.slice(at, gt + 1), end: gt + 1 };
    at = xml.indexOf(open, gt + 1);
  }
}
