/** Size of a personal name seal on the page: 20 mm square, in PDF points. */
export const PERSONAL_SEAL_SIZE_PT = (20 / 25.4) * 72;

/** Unique signature field name per signing party (e.g. 签署方1). */
export const signatureFieldName = (order: number) => `签署方${order}`;
