/**
 * Limits of one sign request (pure: the lifecycle workflow's validator, the API and the signing
 * engine use the same numbers).
 */

/** Marks one request may place: 多页盖章 arrives as one mark per page, so a 200-page contract fits. */
export const MAX_PLACED_MARKS = 200;
