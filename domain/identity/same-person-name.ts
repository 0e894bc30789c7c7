/**
 * Whether the name an initiator gave a person participant is the signer's verified real name: the
 * one comparison for it (M21 / M28). Both sides go through the real-name normalisation (NFC, one
 * kind of middle dot, collapsed spaces); spaces, letter case and invisible characters do not count
 * ("Mary Smith" is "mary smith", "张 三" and "张\u200b三" are "张三").
 */
import { normalizePersonName } from '../../documents/seals/person-name';

/** Invisible format characters (zero-width spaces and joiners, bidi marks): a name is compared as it reads. */
const INVISIBLE = /\p{Cf}/gu;
const comparable = (name: string) => normalizePersonName(name).replace(INVISIBLE, '').replace(/ /g, '').toLocaleLowerCase('en');

export function samePersonName(given: string, verified: string): boolean {
  const a = comparable(given);
  return a.length > 0 && a === comparable(verified);
}
