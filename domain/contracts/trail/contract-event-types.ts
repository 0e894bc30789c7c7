/**
 * The typed events of the 签署轨迹: one zod payload schema per type, the user-facing label and
 * summary (zh-CN first, English), the audit action each one writes, and whether it changes what
 * the contract lists show. Add a type here and nowhere else.
 */
import { z } from 'zod';
import type { AuditAction } from '../../audit/audit-actions';

const id = z.string().min(1).max(36);
const name = z.string().max(255);
const reason = z.string().trim().min(1).max(500);
const step = z.number().int().min(1).max(100);
const version = z.number().int().min(0);
const participantKind = z.enum(['person', 'enterprise', 'department']);
const markKind = z.enum(['personal', 'name_seal', 'handwritten', 'date', 'seal', 'riding']);
const cause = z.string().max(60).optional();

export const CONTRACT_EVENT_PAYLOADS = {
  created: z
    .object({
      title: z.string().max(200),
      contractNo: z.string().max(64).nullable(),
      lifecycle: z.union([z.literal(1), z.literal(2)]),
      pageCount: z.number().int().min(1),
      expiresAt: z.string().datetime(),
      actAs: z.enum(['person', 'enterprise']),
      initiatorEnterpriseId: id.nullable(),
      participants: z.array(z.object({ id, step, kind: participantKind, name }).strict()).min(1).max(20),
      /**
       * 抄送 rows by their id and masked number. Events recorded before unregistered numbers were accepted carry the
       * row's userId instead of its id; none is recorded now (the payload is shown to every viewer, and an id would
       * tell which numbers have an account).
       */
      cc: z.array(z.object({ id: id.optional(), userId: id.optional(), name }).strict()).max(50),
      /** Recorded by recovery (reconciler) rather than by the initiator's request. */
      recovered: z.boolean().optional(),
    })
    .strict(),
  viewed: z.object({}).strict(),
  downloaded: z.object({ documentVersion: version }).strict(),
  sms_code_sent: z.object({ participantId: id, name }).strict(),
  willingness_confirmed: z.object({ participantId: id, name, method: z.literal('sms') }).strict(),
  signed: z
    .object({
      participantId: id,
      /** Participant name (person / enterprise / 企业名·部门名). */
      name,
      step,
      /** Who actually signed (the operator for an enterprise). */
      signedByName: name,
      /** The document version this signature produced; the event's documentSha256 is that version's hash. */
      documentVersion: version.min(1),
      marks: z.array(markKind).max(500),
      /**
       * 继续签署: the participant's signature round (1, 2, …) and whether it finished (结束签署).
       * A finish without new marks adds no signature: `marks` is empty, `documentVersion` the current one.
       * Absent on events recorded before rounds existed (one round, finished).
       */
      round: z.number().int().min(1).max(1000).optional(),
      finished: z.boolean().optional(),
    })
    .strict(),
  step_started: z.object({ step, participantIds: z.array(id).min(1).max(20), names: z.array(name).min(1).max(20) }).strict(),
  refused: z.object({ participantId: id, name, reason }).strict(),
  revoked: z.object({ reason }).strict(),
  urged: z.object({ participantIds: z.array(id).min(1).max(20), names: z.array(name).min(1).max(20) }).strict(),
  expired: z.object({ cause }).strict(),
  revoked_by_platform: z.object({ cause }).strict(),
  /** The event's documentSha256 is the final signed document's hash (required). */
  completed: z.object({ documentVersion: version.min(1) }).strict(),
  invitation_sent: z.object({ participantId: id, name, mobileMasked: z.string().max(20) }).strict(),
  invitation_claimed: z.object({ participantId: id, userId: id, name }).strict(),
  /** A 抄送 row of a number without an account was bound to its owner at 实名认证 (no name: see invitations.ts). */
  cc_claimed: z.object({ ccId: id, userId: id }).strict(),
} as const;

export type ContractEventType = keyof typeof CONTRACT_EVENT_PAYLOADS;
export const CONTRACT_EVENT_TYPES = Object.keys(CONTRACT_EVENT_PAYLOADS) as ContractEventType[];
export type ContractEventPayload<T extends ContractEventType> = z.infer<(typeof CONTRACT_EVENT_PAYLOADS)[T]>;

/** What a caller records: `at` defaults to now, `documentSha256` to the hash of the contract's current document version. */
export type ContractEventInput = {
  [T in ContractEventType]: { contractId: string; type: T; payload: ContractEventPayload<T>; at?: Date; documentSha256?: string | null };
}[ContractEventType];

export const isContractEventType = (t: string): t is ContractEventType => Object.hasOwn(CONTRACT_EVENT_PAYLOADS, t);

/** Parses a payload against its type's schema; throws (a programming error) when it does not fit. */
export function parseContractEventPayload<T extends ContractEventType>(type: T, payload: unknown): ContractEventPayload<T> {
  const result = CONTRACT_EVENT_PAYLOADS[type].safeParse(payload);
  if (!result.success) throw new Error(`Invalid ${type} event payload: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  return result.data as ContractEventPayload<T>;
}

interface EventMeta<T extends ContractEventType> {
  zh: string;
  en: string;
  audit: AuditAction;
  /** The contract lists (待我签署 …) must be recomputed after this event. */
  changesLists: boolean;
  summary(p: ContractEventPayload<T>): { zh: string; en: string };
}

const joinZh = (names: string[]) => names.join('、');
type SignedPayload = { round?: number | undefined; finished?: boolean | undefined; marks: unknown[] };
/** 签署 / 第 2 次签署（继续签署）/ 结束签署 — old events (no round) read as 签署. */
const roundZh = (p: SignedPayload) => (p.round === undefined ? '签署' : p.finished === false ? `第 ${p.round} 次签署（继续签署）` : p.marks.length === 0 ? '结束签署' : p.round > 1 ? `第 ${p.round} 次签署（结束签署）` : '签署');
const roundEn = (p: SignedPayload) => (p.round === undefined ? 'signed' : p.finished === false ? `signed round ${p.round} (to continue later)` : p.marks.length === 0 ? 'finished signing' : p.round > 1 ? `signed round ${p.round} and finished` : 'signed');
const joinEn = (names: string[]) => names.join(', ');

export const CONTRACT_EVENT_META: { [T in ContractEventType]: EventMeta<T> } = {
  created: {
    zh: '发起合同',
    en: 'Contract created',
    audit: 'contract.created',
    changesLists: true,
    summary: (p) => ({
      zh: `发起《${p.title}》，${p.participants.length} 个签署方${p.cc.length ? `，抄送 ${joinZh(p.cc.map((c) => c.name))}` : ''}`,
      en: `Started "${p.title}" with ${p.participants.length} participant(s)${p.cc.length ? `, CC ${joinEn(p.cc.map((c) => c.name))}` : ''}`,
    }),
  },
  viewed: { zh: '查看合同', en: 'Viewed', audit: 'contract.viewed', changesLists: false, summary: () => ({ zh: '查看了合同', en: 'Viewed the contract' }) },
  downloaded: {
    zh: '下载合同',
    en: 'Downloaded',
    audit: 'contract.downloaded',
    changesLists: false,
    summary: (p) => ({ zh: `下载第 ${p.documentVersion} 版文件`, en: `Downloaded document version ${p.documentVersion}` }),
  },
  sms_code_sent: {
    zh: '发送签署验证码',
    en: 'Signing code sent',
    audit: 'contract.sms_code_sent',
    changesLists: false,
    summary: (p) => ({ zh: `为 ${p.name} 发送签署验证码`, en: `Signing code sent for ${p.name}` }),
  },
  willingness_confirmed: {
    zh: '意愿认证通过',
    en: 'Intent to sign confirmed',
    audit: 'contract.willingness_confirmed',
    changesLists: false,
    summary: (p) => ({ zh: `${p.name} 短信意愿认证通过`, en: `${p.name} confirmed the intent to sign by SMS` }),
  },
  signed: {
    zh: '签署',
    en: 'Signed',
    audit: 'contract.signed',
    changesLists: true,
    summary: (p) => ({
      zh: `${p.name} ${roundZh(p)}${p.signedByName && p.signedByName !== p.name ? `（经办人 ${p.signedByName}）` : ''}，${p.marks.length ? `生成第 ${p.documentVersion} 版文件` : `文件为第 ${p.documentVersion} 版`}`,
      en: `${p.name} ${roundEn(p)}${p.signedByName && p.signedByName !== p.name ? ` (operator ${p.signedByName})` : ''}; document version ${p.documentVersion}`,
    }),
  },
  step_started: {
    zh: '开始签署环节',
    en: 'Signing step started',
    audit: 'contract.step_started',
    changesLists: true,
    summary: (p) => ({ zh: `第 ${p.step} 步开始，待 ${joinZh(p.names)} 签署`, en: `Step ${p.step} started: waiting for ${joinEn(p.names)}` }),
  },
  refused: {
    zh: '拒签',
    en: 'Refused',
    audit: 'contract.refused',
    changesLists: true,
    summary: (p) => ({ zh: `${p.name} 拒签，原因：${p.reason}`, en: `${p.name} refused to sign. Reason: ${p.reason}` }),
  },
  revoked: {
    zh: '撤销',
    en: 'Revoked',
    audit: 'contract.revoked_by_initiator',
    changesLists: true,
    summary: (p) => ({ zh: `发起方撤销合同，原因：${p.reason}`, en: `The initiator revoked the contract. Reason: ${p.reason}` }),
  },
  urged: {
    zh: '催办',
    en: 'Urged',
    audit: 'contract.urged',
    changesLists: false,
    summary: (p) => ({ zh: `催办 ${joinZh(p.names)}`, en: `Reminded ${joinEn(p.names)} to sign` }),
  },
  expired: {
    zh: '过期作废',
    en: 'Voided: expired',
    audit: 'contract.expired',
    changesLists: true,
    summary: () => ({ zh: '签署截止时间已到，合同作废', en: 'The signing deadline passed; the contract is void' }),
  },
  revoked_by_platform: {
    zh: '平台撤销',
    en: 'Revoked by the platform',
    audit: 'contract.revoked',
    changesLists: true,
    summary: () => ({ zh: '平台运营人员撤销合同，合同作废', en: 'The platform revoked the contract; it is void' }),
  },
  completed: {
    zh: '签署完成',
    en: 'Completed',
    audit: 'contract.completed',
    changesLists: true,
    summary: (p) => ({ zh: `全部签署完成，最终文件为第 ${p.documentVersion} 版`, en: `All parties signed; the final document is version ${p.documentVersion}` }),
  },
  invitation_sent: {
    zh: '发送签署邀请',
    en: 'Invitation sent',
    audit: 'contract.invitation_sent',
    changesLists: false,
    summary: (p) => ({ zh: `向 ${p.name}（${p.mobileMasked}）发送签署邀请短信`, en: `Invitation SMS sent to ${p.name} (${p.mobileMasked})` }),
  },
  invitation_claimed: {
    zh: '领取签署邀请',
    en: 'Invitation claimed',
    audit: 'contract.invitation_claimed',
    changesLists: true,
    summary: (p) => ({ zh: `${p.name} 完成实名认证，成为签署人`, en: `${p.name} passed real-name verification and became the signer` }),
  },
  /** No longer written (a CC's binding is the user's audit row, invitations.ts): kept for the trails that have it. */
  cc_claimed: {
    zh: '抄送人完成认证',
    en: 'CC recipient verified',
    audit: 'contract.cc_claimed',
    changesLists: true,
    summary: () => ({ zh: '抄送人完成实名认证，可查看合同', en: 'A CC recipient passed real-name verification and can view the contract' }),
  },
};

/** Label and summary of a stored event (payload as parsed from its canonical text). */
export function describeContractEvent(type: string, payload: unknown): { label: string; labelEn: string; summary: string; summaryEn: string } {
  if (!isContractEventType(type)) return { label: type, labelEn: type, summary: '', summaryEn: '' };
  const meta = CONTRACT_EVENT_META[type] as EventMeta<ContractEventType>;
  const parsed = CONTRACT_EVENT_PAYLOADS[type].safeParse(payload);
  const summary = parsed.success ? meta.summary(parsed.data as never) : { zh: '（内容无法识别）', en: '(unreadable content)' };
  return { label: meta.zh, labelEn: meta.en, summary: summary.zh, summaryEn: summary.en };
}
