/**
 * A template's source file: checked and read before it is stored (word → the docxtemplater tags;
 * web → the PDF's pages), and where it is kept in the document store.
 */
import { createHash, randomUUID } from 'node:crypto';
import { inspectPdf, listDocxTags, type PdfLimits } from '../../documents';
import { hasPdfMagic } from '../../documents/pdf/pdf-magic';
import type { PageSize } from '../contracts/start-contract-spec';
import { AppError, invalid } from '../errors';
import { MAX_TEMPLATE_FIELDS } from './template-definition';
import type { TemplateKind } from './template.entity';

export interface TemplateSource {
  bytes: Uint8Array;
  sha256: string;
  /** word: the tags found (document order); web: null. */
  tags: string[] | null;
  /** web: the page sizes; word: null. */
  pages: PageSize[] | null;
}

export const SOURCE_CONTENT_TYPES: Record<TemplateKind, string> = {
  word: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  web: 'application/pdf',
};
const EXTENSIONS: Record<TemplateKind, string> = { word: 'docx', web: 'pdf' };

/** A new key per upload: a replaced source never overwrites the bytes a running generation may still read. */
export const sourceKeyFor = (templateId: string, kind: TemplateKind) => `templates/${templateId}/source-${randomUUID()}.${EXTENSIONS[kind]}`;

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * Checks an uploaded source for a template of `kind` (type by content, then the engine's budgets:
 * a zip bomb or a hostile PDF is refused by documents/ with a DocumentError → 4xx).
 */
export async function readTemplateSource(kind: TemplateKind, bytes: Uint8Array, limits: PdfLimits): Promise<TemplateSource> {
  if (bytes.length === 0) throw invalid('FILE_EMPTY', '上传的文件为空', 'The uploaded file is empty');
  if (bytes.length > limits.maxBytes) throw new AppError('too_large', 'FILE_TOO_LARGE', '上传文件过大', 'The uploaded file is too large');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (kind === 'word') {
    if (!isZip(bytes)) throw new AppError('unsupported_media', 'TEMPLATE_FILE_TYPE', 'Word 模板请上传 .docx 文件', 'Upload a .docx file for a Word template');
    const tags = await listDocxTags(bytes);
    if (tags.length > MAX_TEMPLATE_FIELDS) throw invalid('TEMPLATE_TOO_MANY_TAGS', `模板中的标签不能超过 ${MAX_TEMPLATE_FIELDS} 个`, `A template has at most ${MAX_TEMPLATE_FIELDS} tags`);
    const long = tags.find((t) => t.length > 100);
    if (long) throw invalid('TEMPLATE_TAG_TOO_LONG', `标签 {${long.slice(0, 20)}…} 过长（最多 100 个字符）`, `Tag {${long.slice(0, 20)}…} is too long (at most 100 characters)`);
    return { bytes, sha256, tags, pages: null };
  }
  if (!hasPdfMagic(bytes)) throw new AppError('unsupported_media', 'TEMPLATE_FILE_TYPE', 'Web 模板请上传 PDF 文件', 'Upload a PDF file for a Web template');
  const info = await inspectPdf(bytes, limits);
  return { bytes, sha256, tags: null, pages: info.pages };
}
