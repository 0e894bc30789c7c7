/**
 * What a participant's signature stamps: their marks (preset by the initiator, or placed by the
 * signer at signing time and checked here), each with its image, and the credentials the
 * signature is made with. The one place that turns marks into signPdf appearances.
 * - person: 人名章 (generated from the verified name), 手写签名 (default, else latest handwritten
 *   signature), 日期章 (the user's date settings); `personal` (migrated v1 rows): the default
 *   handwritten signature, else the 人名章. Signs with the user's own certificate.
 * - enterprise / department: the seal of the mark's type (department: its 部门章), its image from
 *   domain/seals; 日期章 in the default style. Signs with the certificate of the seal of the first
 *   seal (or 骑缝章) mark; the operator is recorded as the signer.
 */
import type { EntityManager } from '@mikro-orm/core';
import { inspectPdf, type SignPdfInput } from '../../documents';
import { renderDateSeal } from '../../documents/seals/date-seal';
import { renderNameSeal } from '../../documents/seals/name-seal';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { sealSignerCredentials } from '../certificates/seal-certificates';
import { ensureUserCertificate, type SignerCredentials } from '../certificates/user-certificates';
import { AppError, invalid, rejected } from '../errors';
import { enabledSealTypes } from '../seals/enabled-seal-types';
import { readSealImage } from '../seals/seal-image';
import { personalSignatureImage } from '../signatures/personal-signature-image';
import { DEFAULT_DATE_SETTINGS, effectiveDefaultSignatureId, readDateSettings } from '../signatures/signature-settings';
import { PersonalSignatureSchema, SignatureSettingsSchema } from '../signatures/signature.entities';
import type { Contract } from './contract.entity';
import { ContractMarkSchema, MARK_KINDS, type ContractMark, type MarkKind } from './contract-mark.entity';
import type { ContractSigner } from './contract-signer.entity';
import { DocumentVersionSchema } from './document-version.entity';
import { markSize } from './mark-geometry';
import type { ActorAuthority } from './participant-actor';
import { checkMarks, type MarkSpec, type ParticipantSpec } from './start-contract-spec';

/** A mark placed by the signer at signing time (free placement); the server checks it. */
export interface PlacedMark {
  kind: string;
  sealType?: string | null;
  page?: number | null;
  x?: number | null;
  y?: number | null;
  pageFrom?: number | null;
  pageTo?: number | null;
}

/** A mark as it will be stored (id + position) — preset rows as they are, placed ones new. */
export type MarkToApply = Pick<ContractMark, 'kind' | 'sealType' | 'page' | 'x' | 'y' | 'width' | 'height' | 'pageFrom' | 'pageTo' | 'preset'> & { id: string | null };

export interface StampPlan {
  marks: (MarkToApply & { sealId: string | null })[];
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

export const MAX_PLACED_MARKS = 30;

const isMarkKind = (k: string): k is MarkKind => (MARK_KINDS as readonly string[]).includes(k);

/** Page sizes of the contract (from the unsigned upload: signatures never change them). */
async function contractPages(em: EntityManager, store: DocumentStore, contract: Contract) {
  const original = await em.findOneOrFail(DocumentVersionSchema, { contractId: contract.id, version: 0 });
  const bytes = await store.get(original.storageKey);
  return (await inspectPdf(bytes, { maxBytes: bytes.length + 1, maxPages: Math.max(contract.pageCount, 1) })).pages;
}

/**
 * The marks a participant stamps now: preset ones (placement 'preset'), or the placed ones checked
 * like preset marks at the start (kinds allowed for the participant, enabled seal types, on the
 * pages). A participant with placement 'preset' may not add marks; 'free' must place at least one.
 */
export async function marksToApply(em: EntityManager, store: DocumentStore, contract: Contract, participant: ContractSigner, placed: readonly PlacedMark[] | undefined): Promise<MarkToApply[]> {
  const stored = await em.find(ContractMarkSchema, { participantId: participant.id }, { orderBy: { id: 'asc' } });
  const pending = stored.filter((m) => m.appliedVersion === null);
  if (participant.placement !== 'free') {
    if (placed?.length) throw invalid('MARKS_PRESET', '该签署方的签章位置已由发起方预设，不能另行放置', 'The initiator preset this participant’s marks; no marks can be placed');
    return pending.map((m) => ({ ...m, id: m.id }));
  }
  if (!placed?.length) throw invalid('MARK_REQUIRED', '请放置签章位置', 'Place your marks first');
  if (placed.length > MAX_PLACED_MARKS) throw invalid('TOO_MANY_MARKS', `最多放置 ${MAX_PLACED_MARKS} 个签章`, `At most ${MAX_PLACED_MARKS} marks`);
  for (const m of placed) if (!isMarkKind(m.kind) || m.kind === 'personal') throw invalid('MARK_NOT_ALLOWED', '签章类型不正确', `Unknown mark kind ${String(m.kind)}`);
  const pages = await contractPages(em, store, contract);
  const enabled = (await enabledSealTypes(em)).map((t) => t.code);
  const spec = { kind: participant.kind, placement: 'preset', marks: placed.map((m) => ({ ...m }) as MarkSpec) } as unknown as ParticipantSpec;
  const checked = checkMarks(spec, participant.order - 1, pages, enabled);
  return [...pending.map((m) => ({ ...m, id: m.id })), ...checked.map((m) => ({ ...m, id: null, preset: false }))];
}

/** The user's handwritten signature for a 手写签名 mark: the default one, else the latest. */
async function handwrittenImage(em: EntityManager, store: DocumentStore, userId: string): Promise<Uint8Array> {
  const settings = await em.findOne(SignatureSettingsSchema, { userId });
  const id = await effectiveDefaultSignatureId(em, settings);
  const signature = id
    ? await em.findOne(PersonalSignatureSchema, { id })
    : await em.findOne(PersonalSignatureSchema, { userId, deletedAt: null }, { orderBy: { createdAt: 'desc' } });
  if (!signature) throw rejected('HANDWRITTEN_SIGNATURE_REQUIRED', '该合同要求手写签名，请先在“个人签章”中添加手写签名', 'This contract needs a handwritten signature; add one under personal signatures first');
  return store.get(signature.imageKey);
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
  const dateSettings = isPerson ? await readDateSettings(em, user.id) : { format: DEFAULT_DATE_SETTINGS.dateFormat, color: DEFAULT_DATE_SETTINGS.dateColor };

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
    switch (m.kind) {
      case 'personal':
        png = await personalSignatureImage(em, deps.store, user);
        break;
      case 'name_seal':
        png = await renderNameSeal(user.name);
        break;
      case 'handwritten':
        png = await handwrittenImage(em, deps.store, user.id);
        break;
      case 'date':
        png = await renderDateSeal(now, { format: dateSettings.format, color: dateSettings.color });
        break;
      case 'seal':
      case 'riding':
        png = await sealPng(m.sealType);
        break;
    }
    const sealId = m.kind === 'seal' || m.kind === 'riding' ? sealFor(m.sealType).id : null;
    planned.push({ ...m, width, height, sealId });
    if (m.kind === 'riding') riding.push({ pageFrom: m.pageFrom!, pageTo: m.pageTo!, y: m.y!, width, height, png });
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
