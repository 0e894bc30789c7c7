/**
 * What a participant's signature stamps: their marks (preset by the initiator, or placed by the
 * signer at signing time and checked here), each with its image, and the credentials the
 * signature is made with. The one place that turns marks into signPdf appearances.
 * - person: 人名章 (generated from the verified name), 手写签名 (the one the signer chose by
 *   `signatureId`, else the default, else the latest handwritten signature), 日期章 (the user's date settings); `personal` (migrated v1 rows): the default
 *   handwritten signature, else the 人名章. Signs with the user's own certificate.
 * - enterprise / department: the seal of the mark's type (department: its 部门章), its image from
 *   domain/seals; 日期章 in the default style. Signs with the certificate of the seal of the first
 *   seal (or 骑缝章) mark; the operator is recorded as the signer.
 */
import type { EntityManager } from '@mikro-orm/core';
import { inspectPdf, type PdfInfo, type SignPdfInput } from '../../documents';
import { renderDateSeal } from '../../documents/seals/date-seal';
import { renderNameSeal } from '../../documents/seals/name-seal';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { sealSignerCredentials } from '../certificates/seal-certificates';
import { ensureUserCertificate, type SignerCredentials } from '../certificates/user-certificates';
import { SealSchema, type Seal } from '../enterprises/seal.entities';
import { AppError, invalid, notFound, rejected } from '../errors';
import { findRows } from '../persistence/plain-rows';
import { enabledSealTypes } from '../seals/enabled-seal-types';
import { readSealImage } from '../seals/seal-image';
import { personalSignatureImage } from '../signatures/personal-signature-image';
import { DEFAULT_DATE_SETTINGS, effectiveDefaultSignatureId, readDateSettings } from '../signatures/signature-settings';
import { PersonalSignatureSchema, SignatureSettingsSchema } from '../signatures/signature.entities';
import type { ContractWithSigners } from './contract-access';
import type { Contract } from './contract.entity';
import { ContractMarkSchema, MARK_KINDS, type ContractMark, type MarkKind } from './contract-mark.entity';
import type { ContractSigner } from './contract-signer.entity';
import { DocumentVersionSchema } from './document-version.entity';
import { markSize } from './mark-geometry';
import { assertMayActFor, DEPARTMENT_SEAL_TYPE, type ActorAuthority } from './participant-actor';
import { ridingRuleOf } from './riding-rule';
import { MAX_PLACED_MARKS } from './sign-limits';
import { checkMarks, type MarkSpec, type ParticipantSpec } from './start-contract-spec';

/**
 * A mark placed by the signer at signing time (free placement); the server checks it. `sealId`
 * (enterprise / department): the seal to stamp — the server decides its image and certificate.
 * `signatureId` (person, 手写签名 only): which of the acting user's own handwritten signatures to
 * stamp (default: their default one). `width`/`height`: a resized box within `markSizeLimits`
 * (default `markSize`).
 */
export interface PlacedMark {
  kind: string;
  sealId?: string | null;
  signatureId?: string | null;
  sealType?: string | null;
  page?: number | null;
  x?: number | null;
  y?: number | null;
  width?: number | null;
  height?: number | null;
  pageFrom?: number | null;
  pageTo?: number | null;
  /** 骑缝章: 骑缝规则 'all' (default) | 'odd' | 'even' (riding-rule.ts). */
  ridingRule?: string | null;
}

/** A mark as it will be stored (id + position) — preset rows as they are, placed ones new (`sealId` / `signatureId`: the seal / handwritten signature the signer chose, if any). */
export type MarkToApply = Pick<ContractMark, 'kind' | 'sealType' | 'page' | 'x' | 'y' | 'width' | 'height' | 'pageFrom' | 'pageTo' | 'ridingRule' | 'preset' | 'sealId' | 'signatureId'> & { id: string | null };

export interface StampPlan {
  marks: MarkToApply[];
  /** signPdf's appearances and 骑缝章 strips, in mark order. */
  appearances: NonNullable<SignPdfInput['appearances']>;
  riding: NonNullable<SignPdfInput['riding']>;
  credentials: SignerCredentials;
  /** /Name of the signature: the person, or the enterprise with its operator. */
  signerName: string;
}

export interface StampDeps {
  store: DocumentStore;
  ca: CertificateAuthority;
  masterKey: string;
}

export { MAX_PLACED_MARKS };

const isMarkKind = (k: string): k is MarkKind => (MARK_KINDS as readonly string[]).includes(k);

type PageSizes = PdfInfo['pages'];
/** Contracts whose page sizes this process keeps (a few KB each at most). */
const PAGE_SIZES_KEPT = 256;
/** Page sizes by contract, most recently used last; a pending inspection is shared by parallel requests. */
const pageSizes = new Map<string, Promise<PageSizes>>();

/**
 * Page sizes of the contract, from its unsigned upload (version 0, never rewritten; signatures never change
 * page sizes): read and inspected once per contract and process, then kept (bounded). Every free-placement
 * sign request checks its marks against them before its SMS code: repeated or parallel requests (a wrong
 * code each) must not load and inspect a 20 MB upload every time.
 */
function contractPages(em: EntityManager, store: DocumentStore, contract: Contract): Promise<PageSizes> {
  let sizes = pageSizes.get(contract.id);
  if (sizes) pageSizes.delete(contract.id);
  else {
    sizes = (async () => {
      const original = await em.findOneOrFail(DocumentVersionSchema, { contractId: contract.id, version: 0 });
      const bytes = await store.get(original.storageKey);
      return (await inspectPdf(bytes, { maxBytes: bytes.length + 1, maxPages: Math.max(contract.pageCount, 1) }, 'stored')).pages;
    })();
    sizes.catch(() => pageSizes.get(contract.id) === sizes && pageSizes.delete(contract.id));
  }
  pageSizes.set(contract.id, sizes);
  if (pageSizes.size > PAGE_SIZES_KEPT) pageSizes.delete(pageSizes.keys().next().value!);
  return sizes;
}

/** The signer's request for this round: 结束签署 (`finish`, the default) or 继续签署. */
export interface SignRound {
  /** This round's number: the participant's `signedRounds` + 1. */
  round: number;
  finish: boolean;
}

/** The signature field of a participant's round: 签署方N for the first, 签署方N-2, -3… for later rounds. */
export const roundFieldName = (participant: Pick<ContractSigner, 'fieldName'>, round: number) => (round <= 1 ? participant.fieldName : `${participant.fieldName}-${round}`);

/**
 * `sealId` → the seal's type, checked: a seal of the participant's enterprise that is not voided
 * (a 部门 participant: its own 部门章), of the type named if one is. Whether the actor may use it
 * (authorised, enabled, issued certificate) is `assertMayActFor`'s check (participant-actor.ts).
 */
async function resolvePlacedSeals(em: EntityManager, participant: ContractSigner, placed: readonly PlacedMark[]): Promise<PlacedMark[]> {
  const seals = new Map<string, Seal | null>();
  const out: PlacedMark[] = [];
  for (const m of placed) {
    if (m.signatureId && m.kind !== 'handwritten') throw invalid('SIGNATURE_NOT_ALLOWED', '只有手写签名可以选择签名', 'Only a handwritten signature mark takes a signature');
    if (!m.sealId) {
      out.push(m);
      continue;
    }
    if (participant.kind === 'person' || !participant.enterpriseId) throw invalid('SEAL_NOT_ALLOWED', '个人签署方不能使用企业印章', 'A person signs without enterprise seals');
    if (m.kind !== 'seal' && m.kind !== 'riding') throw invalid('SEAL_NOT_ALLOWED', '只有企业印章和骑缝章需要选择印章', 'Only seal and cross-page seal marks take a seal');
    if (!seals.has(m.sealId)) seals.set(m.sealId, await em.findOne(SealSchema, { id: m.sealId, enterpriseId: participant.enterpriseId, status: { $ne: 'voided' } }));
    const seal = seals.get(m.sealId);
    if (!seal) throw notFound('SEAL_NOT_FOUND', `“${participant.name}”没有这枚印章`, `"${participant.name}" has no such seal`);
    if (participant.kind === 'department' && (seal.type !== DEPARTMENT_SEAL_TYPE || seal.departmentName !== participant.departmentName)) {
      throw invalid('SEAL_TYPE_NOT_ALLOWED', `部门签署方只能使用本部门（${participant.departmentName ?? ''}）的部门章`, `A department signs with its own department seal (${participant.departmentName ?? ''}) only`);
    }
    if (m.sealType && m.sealType !== seal.type) throw invalid('SEAL_TYPE_MISMATCH', `印章“${seal.name}”不是所选的印章类型`, `The seal "${seal.name}" is not of the chosen type`);
    out.push({ ...m, sealType: seal.type });
  }
  return out;
}

/**
 * `signatureId` of 手写签名 marks: one of the acting user's own live handwritten signatures
 * (another user's, a deleted or an unknown one: 404 SIGNATURE_NOT_FOUND).
 */
async function checkPlacedSignatures(em: EntityManager, actorUserId: string, placed: readonly PlacedMark[]): Promise<void> {
  const ids = new Set(placed.map((m) => m.signatureId).filter((id): id is string => !!id));
  for (const id of ids) await ownHandwrittenSignature(em, actorUserId, id);
}

/** One of the user's own live handwritten signatures, else 404 SIGNATURE_NOT_FOUND. */
async function ownHandwrittenSignature(em: EntityManager, userId: string, id: string) {
  const found = await em.findOne(PersonalSignatureSchema, { id, userId, deletedAt: null });
  if (!found) throw notFound('SIGNATURE_NOT_FOUND', '所选的手写签名不存在或已删除，请重新选择', 'The chosen handwritten signature does not exist or was deleted; choose another one');
  return found;
}

/**
 * The marks a participant stamps in this round: preset ones not yet applied (placement 'preset':
 * all of them, in one go), or the placed ones checked like preset marks at the start (kinds allowed
 * for the participant, enabled seal types, sizes within `markSizeLimits`, on the pages).
 * A participant with placement 'preset' may not add marks; 'free' places at least one per round,
 * except a 结束签署 after ≥ 1 earlier round (then nothing is stamped and no signature is added).
 */
export async function marksToApply(em: EntityManager, store: DocumentStore, contract: Contract, participant: ContractSigner, placed: readonly PlacedMark[] | undefined, round: SignRound = { round: 1, finish: true }): Promise<MarkToApply[]> {
  const stored = await findRows(em, ContractMarkSchema, { participantId: participant.id }, { orderBy: [['id', 'asc']] });
  const pending = stored.filter((m) => m.appliedVersion === null);
  if (participant.placement !== 'free') {
    if (placed?.length) throw invalid('MARKS_PRESET', '该签署方的签章位置已由发起方预设，不能另行放置', 'The initiator preset this participant’s marks; no marks can be placed');
    return pending.map((m) => ({ ...m, id: m.id }));
  }
  if (!placed?.length) {
    if (round.finish && round.round > 1) return pending.map((m) => ({ ...m, id: m.id }));
    throw invalid('MARK_REQUIRED', '请放置签章位置', 'Place your marks first');
  }
  if (placed.length > MAX_PLACED_MARKS) throw invalid('TOO_MANY_MARKS', `一次最多放置 ${MAX_PLACED_MARKS} 个签章`, `At most ${MAX_PLACED_MARKS} marks per request`);
  for (const m of placed) if (!isMarkKind(m.kind) || m.kind === 'personal') throw invalid('MARK_NOT_ALLOWED', '签章类型不正确', `Unknown mark kind ${String(m.kind)}`);
  const pages = await contractPages(em, store, contract);
  const enabled = (await enabledSealTypes(em)).map((t) => t.code);
  const spec = { kind: participant.kind, placement: 'preset', marks: placed.map((m) => ({ ...m }) as MarkSpec) } as unknown as ParticipantSpec;
  const checked = checkMarks(spec, participant.order - 1, pages, enabled, round.round === 1);
  return [...pending.map((m) => ({ ...m, id: m.id })), ...checked.map((m, i) => ({ ...m, id: null, preset: false, sealId: placed[i]!.sealId ?? null, signatureId: placed[i]!.signatureId ?? null }))];
}

export interface PreparedSignature {
  authority: ActorAuthority;
  /** Empty: a 结束签署 without new marks after earlier rounds (no new signature). */
  marks: MarkToApply[];
  round: SignRound;
}

/**
 * The one check of a sign request (the API before it confirms the SMS code, the signing activity
 * before it stamps): the round rule (继续签署 only with free placement), at most
 * `MAX_PLACED_MARKS` marks, each seal chosen by id resolved and usable by the actor, who may act
 * for the participant (`assertMayActFor`), and the marks themselves (`marksToApply`).
 */
export async function prepareSignature(
  em: EntityManager,
  store: DocumentStore,
  c: ContractWithSigners,
  participant: ContractSigner,
  args: { actorUserId: string; marks?: readonly PlacedMark[] | undefined; finish?: boolean | undefined; now: Date },
): Promise<PreparedSignature> {
  const round: SignRound = { round: participant.signedRounds + 1, finish: args.finish ?? true };
  if (!round.finish && participant.placement !== 'free') {
    throw invalid('CONTINUE_NOT_ALLOWED', '发起方已预设签章位置，须一次签署完成，不能继续签署', 'The initiator preset the marks: sign them in one go (continuing later is for free placement only)');
  }
  if ((args.marks?.length ?? 0) > MAX_PLACED_MARKS) throw invalid('TOO_MANY_MARKS', `一次最多放置 ${MAX_PLACED_MARKS} 个签章`, `At most ${MAX_PLACED_MARKS} marks per request`);
  const placed = args.marks ? await resolvePlacedSeals(em, participant, args.marks) : undefined;
  const authority = await assertMayActFor(em, c, participant, args.actorUserId, args.now, placed ?? []);
  if (placed) await checkPlacedSignatures(em, args.actorUserId, placed);
  const marks = await marksToApply(em, store, c.contract, participant, placed, round);
  // A 手写签名 needs a signature to draw: refused here, before the SMS code is spent, not by the signing activity after.
  for (const chosenId of new Set(marks.filter((m) => m.kind === 'handwritten').map((m) => m.signatureId))) await chooseHandwrittenSignature(em, authority.user.id, chosenId);
  return { authority, marks, round };
}

/**
 * The user's handwritten signature for a 手写签名 mark: the one chosen (`chosenId`, checked again:
 * still theirs and not deleted), else the default one, else the latest. Returns its id (recorded
 * on the mark) and image.
 */
async function handwrittenImage(em: EntityManager, store: DocumentStore, userId: string, chosenId: string | null): Promise<{ id: string; png: Uint8Array }> {
  const signature = await chooseHandwrittenSignature(em, userId, chosenId);
  return { id: signature.id, png: await store.get(signature.imageKey) };
}

/** Which handwritten signature a 手写签名 mark draws (see handwrittenImage), or 422 HANDWRITTEN_SIGNATURE_REQUIRED when the user has none. */
async function chooseHandwrittenSignature(em: EntityManager, userId: string, chosenId: string | null) {
  let signature;
  if (chosenId) {
    signature = await ownHandwrittenSignature(em, userId, chosenId);
  } else {
    const settings = await em.findOne(SignatureSettingsSchema, { userId });
    const id = await effectiveDefaultSignatureId(em, settings);
    signature = id
      ? await em.findOne(PersonalSignatureSchema, { id })
      : await em.findOne(PersonalSignatureSchema, { userId, deletedAt: null }, { orderBy: { createdAt: 'desc' } });
  }
  if (!signature) throw rejected('HANDWRITTEN_SIGNATURE_REQUIRED', '该合同要求手写签名，请先在“个人签章”中添加手写签名', 'This contract needs a handwritten signature; add one under personal signatures first');
  return signature;
}

/**
 * Images, boxes and credentials for the participant's marks. `authority` comes from
 * `assertMayActFor` (the acting user and, for enterprises, the usable seal of each type).
 */
export async function planStamps(em: EntityManager, deps: StampDeps, args: { participant: ContractSigner; authority: ActorAuthority; marks: MarkToApply[]; now: Date }): Promise<StampPlan> {
  const { participant, authority, marks, now } = args;
  const { user } = authority;
  const isPerson = participant.kind === 'person';
  const sealPngs = new Map<string, Uint8Array>();
  const sealFor = (type: string | null) => {
    const usable = authority.seals.get(type ?? '');
    if (!usable) throw rejected('SEAL_TYPE_MISSING', `“${participant.name}”没有可用的 ${type ?? ''} 印章`, `"${participant.name}" has no usable seal of type ${type ?? ''}`);
    return usable.seal;
  };
  const sealPng = async (type: string | null) => {
    const seal = sealFor(type);
    let png = sealPngs.get(seal.id);
    if (!png) sealPngs.set(seal.id, (png = (await readSealImage(em, deps.store, seal)).png));
    return png;
  };
  // A person's 日期章 style, read only when a date mark is stamped.
  let dateSettings: Pick<Awaited<ReturnType<typeof readDateSettings>>, 'format' | 'color'> | undefined;
  const dateStyle = async () => (dateSettings ??= isPerson ? await readDateSettings(em, user.id) : { format: DEFAULT_DATE_SETTINGS.dateFormat, color: DEFAULT_DATE_SETTINGS.dateColor });

  const appearances: StampPlan['appearances'] = [];
  const riding: StampPlan['riding'] = [];
  const planned: StampPlan['marks'] = [];
  for (const m of marks) {
    const allowed = isPerson ? ['personal', 'name_seal', 'handwritten', 'date'] : ['seal', 'riding', 'date'];
    if (!allowed.includes(m.kind)) throw new Error(`mark ${m.id ?? '(placed)'}: kind ${m.kind} does not fit a ${participant.kind} participant`);
    const size = markSize(m.kind, m.sealType);
    const width = m.width ?? size.width;
    const height = m.height ?? size.height;
    let png: Uint8Array;
    let signatureId: string | null = null;
    switch (m.kind) {
      case 'personal':
        png = await personalSignatureImage(em, deps.store, user);
        break;
      case 'name_seal':
        png = await renderNameSeal(user.name);
        break;
      case 'handwritten':
        ({ id: signatureId, png } = await handwrittenImage(em, deps.store, user.id, m.signatureId));
        break;
      case 'date': {
        const style = await dateStyle();
        png = await renderDateSeal(now, { format: style.format, color: style.color });
        break;
      }
      case 'seal':
      case 'riding':
        png = await sealPng(m.sealType);
        break;
    }
    const sealId = m.kind === 'seal' || m.kind === 'riding' ? sealFor(m.sealType).id : null;
    if (m.sealId && sealId !== m.sealId) throw rejected('SEAL_CHANGED', '所选印章已变更，请重新选择', 'The chosen seal changed; choose it again');
    planned.push({ ...m, width, height, sealId, signatureId });
    if (m.kind === 'riding') riding.push({ pageFrom: m.pageFrom!, pageTo: m.pageTo!, rule: ridingRuleOf(m.ridingRule), y: m.y!, width, height, png });
    else appearances.push({ page: m.page!, x: m.x!, y: m.y!, width, height, png });
  }
  if (planned.length === 0) throw rejected('MARK_REQUIRED', '该签署方没有需要加盖的签章', 'This participant has no marks to stamp');

  if (isPerson) {
    return { marks: planned, appearances, riding, credentials: await ensureUserCertificate(em, deps.ca, deps.masterKey, user, now), signerName: user.name };
  }
  const first = planned.find((m) => m.kind === 'seal') ?? planned.find((m) => m.kind === 'riding');
  if (!first?.sealId) throw rejected('MARK_REQUIRED', '企业签署须至少加盖一枚印章', 'An enterprise signs with at least one seal');
  const credentials = await sealSignerCredentials(em, deps.masterKey, first.sealId, now, deps.ca);
  if (!credentials) throw new AppError('rejected', 'SEAL_NO_CERTIFICATE', '印章没有有效的云证书，请先申请证书', 'The seal has no valid certificate; apply for one first');
  return { marks: planned, appearances, riding, credentials, signerName: `${participant.name}（经办人：${user.name}）` };
}
