/**
 * 批量下载: which files go into the zip. Every requested contract must be in one of the party's
 * lists (else 404 for the whole request, so ids cannot be probed); each gets a `downloaded` event
 * (签署轨迹 + audit) in one transaction before anything is streamed.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { AuditActor } from '../../audit/record-audit';
import { invalid, notFound } from '../../errors';
import { ContractSchema } from '../contract.entity';
import { DocumentVersionSchema } from '../document-version.entity';
import { recordContractAccesses } from '../trail/record-access';
import { visibleContractIds, type ListParty } from './list-page';

export const MAX_DOWNLOAD = 50;

export interface ZipFile {
  name: string;
  storageKey: string;
}

// eslint-disable-next-line no-control-regex -- control characters are what it removes
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f]/g;

/** Code points of an entry name before `.pdf`. */
const NAME_MAX = 180;

/**
 * `<title>[_<合同编号>]_<first 8 of id>[-<n>].pdf`, safe as a file name on Windows, macOS and Linux. Only the
 * title part is cut (by code point: a cut never splits a surrogate pair), so the id prefix and the
 * number `n` (≥ 2 for a name already in the zip) always end the name and two entries can be told apart.
 */
export function zipEntryName(c: { id: string; title: string; contractNo: string | null }, n = 1): string {
  const suffix = `_${c.id.slice(0, 8).replace(UNSAFE, '_')}${n > 1 ? `-${n}` : ''}`;
  const base = [c.title, c.contractNo].filter((p): p is string => !!p).map((p) => p.replace(UNSAFE, '_').trim()).join('_');
  return `${[...base].slice(0, NAME_MAX - [...suffix].length).join('')}${suffix}.pdf`;
}

export function parseDownloadIds(body: unknown): string[] {
  const ids = (body as { ids?: unknown } | null)?.ids;
  const ok = Array.isArray(ids) && ids.length >= 1 && ids.length <= MAX_DOWNLOAD && ids.every((i) => typeof i === 'string' && /^[0-9A-Za-z-]{1,36}$/.test(i));
  if (!ok) throw invalid('BAD_DOWNLOAD_REQUEST', `请选择 1–${MAX_DOWNLOAD} 份合同`, `Select 1–${MAX_DOWNLOAD} contracts`);
  return [...new Set(ids as string[])];
}

export async function prepareDownload(em: EntityManager, party: ListParty, actor: AuditActor & { id: string }, ids: string[]): Promise<ZipFile[]> {
  const visible = await visibleContractIds(em, party, ids);
  if (ids.some((id) => !visible.has(id))) throw notFound('CONTRACT_NOT_FOUND', '合同不存在或无权查看', 'Contract not found');
  const contracts = await em.find(ContractSchema, { id: { $in: ids }, status: { $ne: 'starting' } });
  if (contracts.length !== ids.length) throw notFound('CONTRACT_NOT_FOUND', '合同不存在或无权查看', 'Contract not found');
  const versions = await em.find(DocumentVersionSchema, { $or: contracts.map((c) => ({ contractId: c.id, version: c.documentVersion })) });
  const keyOf = new Map(versions.map((v) => [`${v.contractId}:${v.version}`, v.storageKey]));
  // One 下载 event per contract and version per person in ACCESS_DEDUP_MS (record-access.ts).
  await recordContractAccesses(em, actor, contracts.map((c) => ({ contractId: c.id, type: 'downloaded' as const, payload: { documentVersion: c.documentVersion } })));
  const byId = new Map(contracts.map((c) => [c.id, c]));
  const used = new Set<string>();
  return ids.map((id) => {
    const c = byId.get(id)!;
    let name = zipEntryName(c);
    for (let n = 2; used.has(name); n++) name = zipEntryName(c, n);
    used.add(name);
    const storageKey = keyOf.get(`${c.id}:${c.documentVersion}`);
    if (!storageKey) throw notFound('DOCUMENT_NOT_FOUND', '合同文件不存在', 'Contract document not found');
    return { name, storageKey };
  });
}
