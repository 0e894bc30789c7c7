import type { DocumentErrorCode } from '../../documents/errors';

/**
 * What a signer is told when the document engine cannot apply their signature (a permanent
 * failure: retrying cannot help). Upload-time wording lives with the HTTP error mapping; this is
 * the signing-time view of the same codes.
 */
const SIGNING_MESSAGES: Partial<Record<DocumentErrorCode, [string, string]>> = {
  INVALID_SEAL_TEXT: ['您的实名姓名无法生成签章（含不支持的字符或过长），请联系平台客服', 'Your verified name cannot be rendered on a seal (unsupported characters or too long); contact support'],
  FONT_NOT_FOUND: ['签章字体不可用，请联系平台客服', 'The seal font is not available; contact support'],
  FIELD_NAME_TAKEN: ['文件中已存在同名签署域，无法在此位置签署', 'The document already has a signature field with this name'],
  INVALID_FIELD_NAME: ['签署域名称无效，无法签署', 'The signature field name is invalid'],
  PDF_UNSUPPORTED_STRUCTURE: ['该文件的结构不支持追加签名，无法签署', 'This PDF structure does not support adding signatures'],
  PDF_CORRUPT: ['合同文件已损坏，无法签署', 'The contract document is corrupt and cannot be signed'],
  PDF_ENCRYPTED: ['合同文件已加密，无法签署', 'The contract document is encrypted and cannot be signed'],
  SIGNATURE_TOO_LARGE: ['签名数据超出文件预留空间，无法签署', 'The signature does not fit the space reserved in the document'],
  POSITION_OUT_OF_PAGE: ['盖章位置超出页面范围，无法签署', 'The seal position is outside the page'],
  PAGE_NOT_FOUND: ['盖章页码超出文件页数，无法签署', 'The seal page does not exist'],
  RIDING_NO_PAGES: ['骑缝区间内没有符合骑缝规则的页，无法签署', 'The cross-page seal’s range has no page its rule selects'],
  INVALID_IMAGE: ['签章图片无效，无法签署', 'The seal image is invalid'],
  INVALID_SIGNER: ['签署证书无效，无法签署', 'The signing certificate is invalid'],
};

/** zh-CN and English message for a document error that stopped a signature. */
export function signingDocumentErrorMessage(code: string): { message: string; messageEn: string } {
  const [message, messageEn] = SIGNING_MESSAGES[code as DocumentErrorCode] ?? ['合同文件无法签署，请联系发起方', 'The contract document cannot be signed; contact the initiator'];
  return { message, messageEn };
}
