/**
 * Names of the signature fields the platform adds, one per signing party: 签署方1, 签署方2…
 * The one place for this rule: the contract domain names its fields with signatureFieldName, and
 * inspectPdf refuses uploads that already use such a name (the signature could never be added).
 */
export const signatureFieldName = (order: number) => `签署方${order}`;

/** True for a field (or a field's descendant) that would clash with a platform signature field (签署方N, or 签署方N-k of a later 继续签署 round). */
export const isPlatformFieldName = (fullyQualifiedName: string) => /^签署方\d+(?:-\d+)?(?:\.|$)/u.test(fullyQualifiedName);
