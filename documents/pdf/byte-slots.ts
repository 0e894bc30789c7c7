/**
 * Fixed tables of slots keyed by raw bytes (the lean lexer's tokens, the CMS reader's OIDs): a slot
 * holds the last value read for bytes hashed to it, checked byte for byte by its user, so tokens that
 * repeat within and across files are decoded once.
 */

/** The slot of the bytes [from, to) in a table of `slots` entries (a power of two). */
export function slotOf(bytes: Uint8Array, from: number, to: number, slots: number): number {
  let h = to - from;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + bytes[i]!) | 0;
  return h & (slots - 1);
}

/** `known` holds exactly the bytes [from, to) of `bytes`. */
export function sameBytes(known: Uint8Array, bytes: Uint8Array, from: number, to: number): boolean {
  if (known.length !== to - from) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== bytes[from + i]) return false;
  return true;
}
