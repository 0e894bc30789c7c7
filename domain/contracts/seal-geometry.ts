/** Size of a personal name seal on the page: 20 mm square, in PDF points. */
export const PERSONAL_SEAL_SIZE_PT = (20 / 25.4) * 72;

/** Unique signature field name per signing party (e.g. 签署方1): the rule lives with the PDF engine, which also refuses uploads that use it. */
export { signatureFieldName } from '../../documents';
