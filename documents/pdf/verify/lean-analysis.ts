import { readLeanFile } from './lean-file';
import { nothingChangedAfter } from './lean-revisions';
import { leanObjectRoles } from './lean-roles';
import { catalogOf, checkLeanPageTree, leanSignatureInfos, listLeanFields } from './lean-structure';
import type { DictInfo } from './signature-info';

/**
 * The verifier's lean path: for a file in the plain shape the lean reader takes (lean-file.ts),
 * the signature dictionaries and the proof that nothing changed after any checked signature,
 * without pdf-lib. Returns null whenever the general path must decide: the file is outside the
 * reader's shape, the general path would refuse it (DocumentError), or something might have
 * changed after a signature (the general path then says what). For every file it answers, the
 * general path's answer is the same infos and no changes (verify-pdf.test.ts checks both paths
 * side by side).
 */
export function leanAnalyse(bytes: Uint8Array, maxSignaturesChecked: number): { infos: DictInfo[] } | null {
  try {
    const file = readLeanFile(bytes);
    const catalog = catalogOf(file);
    checkLeanPageTree(file, catalog);
    const fields = listLeanFields(file, catalog);
    const infos = leanSignatureInfos(file, fields);
    if (infos.length === 0) return { infos };
    const roles = leanObjectRoles(file, catalog, fields);
    for (const info of infos.slice(0, maxSignaturesChecked)) {
      if (!info.range) continue;
      const end = info.range[2] + info.range[3];
      if (end <= bytes.length && !nothingChangedAfter(file, roles, end)) return null;
    }
    return { infos };
  } catch {
    // Unsupported, or anything unexpected: the general path decides.
    return null;
  }
}
