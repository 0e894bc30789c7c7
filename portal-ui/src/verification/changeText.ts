import type { RevisionChange } from './types';

/** One line per change after a signature, zh-CN first, English. */
const pagesText = (pages: number[], locale: string) => (pages.length === 0 ? '' : locale === 'en' ? ` (page ${pages.join(', ')})` : `（第 ${pages.join('、')} 页）`);
const fieldsText = (fields: string[], locale: string) => (fields.length === 0 ? '' : locale === 'en' ? ` (${fields.join(', ')})` : `（${fields.join('、')}）`);

const TEXT: Record<RevisionChange['kind'], { zh: string; en: string; detail: 'pages' | 'fields' | null }> = {
  page_content: { zh: '页面内容被修改', en: 'Page content changed', detail: 'pages' },
  pages: { zh: '页面被增加或删除', en: 'Pages added or removed', detail: 'pages' },
  annotations: { zh: '注释被增加、删除或修改', en: 'Annotations added, removed or changed', detail: 'pages' },
  form_fields: { zh: '表单域或其填写值被修改', en: 'Form fields or their values changed', detail: 'fields' },
  signatures: { zh: '已有签名或其外观被修改', en: 'An existing signature or its appearance changed', detail: 'fields' },
  metadata: { zh: '文档信息（元数据）被修改', en: 'Document information (metadata) changed', detail: null },
  document: { zh: '文档级内容被修改（如打开动作、附件、书签）', en: 'Document-level content changed (e.g. open actions, attachments, bookmarks)', detail: null },
  structure: { zh: '文件结构异常（交叉引用与内容不一致），可能隐藏修改', en: 'Inconsistent file structure (cross-reference does not match the content); changes may be hidden', detail: null },
  appended_data: { zh: '签署后追加了无法识别的数据', en: 'Unrecognised data was appended after signing', detail: null },
};

export function changeText(change: RevisionChange, locale: string): string {
  const t = TEXT[change.kind];
  const base = locale === 'en' ? t.en : t.zh;
  if (t.detail === 'pages') return base + pagesText(change.pages, locale);
  if (t.detail === 'fields') return base + fieldsText(change.fields, locale);
  return base;
}

/** Words of this page that are not in the shared portal translations. */
export const VERIFY_TEXT = {
  'zh-CN': {
    modifiedAfter: '签署后修改',
    notModified: '签署后未修改',
    modified: '签署后已修改',
    truncated: (n: number, max: number) => `签名数量（${n}）超过上限，仅验证了前 ${max} 个。`,
    unreadable: '无法验证此文件',
    notVerified: '文件尚未验证',
    retryIn: (seconds: number) => `${seconds} 秒后可重试`,
    revoked: (date: string, reason: string) => `证书已于 ${date} 吊销（${reason}）`,
    signedBefore: '签署时证书有效',
    signedAfter: '签署时证书已吊销，签名无效',
  },
  en: {
    modifiedAfter: 'Changed after signing',
    notModified: 'Not modified after this signature',
    modified: 'Modified after this signature',
    truncated: (n: number, max: number) => `The file has ${n} signatures; only the first ${max} were checked.`,
    unreadable: 'This file cannot be verified',
    notVerified: 'The file has not been verified',
    retryIn: (seconds: number) => `Retry in ${seconds} s`,
    revoked: (date: string, reason: string) => `Certificate revoked on ${date} (${reason})`,
    signedBefore: 'The certificate was valid when signing',
    signedAfter: 'Signed after the revocation: not valid',
  },
} as const;

export const verifyText = (locale: string) => (locale === 'en' ? VERIFY_TEXT.en : VERIFY_TEXT['zh-CN']);
