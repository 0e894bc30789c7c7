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
      for (const rel of xml.match(/<Relationship\b[^>]*>/g) ?? []) {
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
  for (const m of xml.matchAll(/<w:instrText\b[^>]*>([^<]*)<\/w:instrText>/g)) text += m[1] ?? '';
  for (const m of xml.matchAll(/<w:fldSimple\b[^>]*\bw:instr\s*=\s*["']([^"']*)["']/g)) text += ` ${m[1] ?? ''}`;
  return text.toUpperCase();
}
