// Data of the placement editor: marks as the browser edits them (PDF points, top-left origin).
import type { RidingRule } from '../../../domain/contracts/riding-rule';

export type { RidingRule };

/** Mark kinds (domain/contracts ContractMark.kind); 'field': a template's body field box (templates/manage). */
export type MarkKind = 'personal' | 'name_seal' | 'handwritten' | 'date' | 'seal' | 'riding' | 'field';

/** A mark being placed. Page marks have page/x/y; a 骑缝章 (riding) has pageFrom/pageTo/y and its 骑缝规则. */
export interface EditorMark {
  id: string;
  /** The participant the mark belongs to (the caller's key). */
  participantKey: string;
  kind: MarkKind;
  sealType?: string | null;
  page?: number | null;
  x?: number | null;
  y?: number | null;
  pageFrom?: number | null;
  pageTo?: number | null;
  /** 骑缝章: 骑缝规则 (全部页 / 奇数页 / 偶数页); unset: 全部页. */
  ridingRule?: RidingRule | null;
  /** The seal stamped (signing for an enterprise: one of its seals). */
  sealId?: string | null;
  /** The handwritten signature stamped (a person's 手写签名: one of theirs; unset: the default). */
  signatureId?: string | null;
  /** Resized box (PDF points); unset: the kind's size. */
  width?: number | null;
  height?: number | null;
  /** What the box stands for beyond its kind (a template body field's key). */
  ref?: string | null;
}

/** One kind of mark a participant may place (label shown on the chip and on the box). */
export interface PaletteItem {
  kind: MarkKind;
  sealType?: string | null;
  /** A particular seal (signing for an enterprise). */
  sealId?: string | null;
  /** A particular handwritten signature (a person's 手写签名). */
  signatureId?: string | null;
  /** Not offered as a chip (e.g. a handwritten signature not chosen now); still names and pictures marks placed with it. */
  hidden?: boolean;
  label: string;
  /** Picture shown in the placed box (the seal or the handwritten signature). */
  imageUrl?: string | null;
  /** Shown but not placeable (e.g. a seal without an issued certificate), with why. */
  disabledReason?: string | null;
  /** What the item stands for beyond its kind (a template body field's key). */
  ref?: string | null;
}

/** Smallest and largest box of a mark (PDF points, aspect ratio kept). */
export interface SizeLimits {
  min: { width: number; height: number };
  max: { width: number; height: number };
}

export interface EditorParticipant {
  key: string;
  label: string;
  color: string;
  palette: PaletteItem[];
}

/** Distinct colours for participants, by position. */
export const PARTICIPANT_COLORS = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#ad1457', '#4e342e', '#283593', '#558b2f'];

export const participantColor = (index: number): string => PARTICIPANT_COLORS[index % PARTICIPANT_COLORS.length] ?? '#1565c0';

let counter = 0;
/** A local id for a new mark (not a server id). */
export const newMarkId = (): string => `m${Date.now().toString(36)}${(counter++).toString(36)}`;

export const isRiding = (m: Pick<EditorMark, 'kind'>): boolean => m.kind === 'riding';

export const sameItem = (m: Pick<EditorMark, 'kind' | 'sealType' | 'sealId' | 'signatureId' | 'ref'>, item: Pick<PaletteItem, 'kind' | 'sealType' | 'sealId' | 'signatureId' | 'ref'>): boolean =>
  m.kind === item.kind &&
  (m.sealType ?? null) === (item.sealType ?? null) &&
  (m.sealId ?? null) === (item.sealId ?? null) &&
  (m.signatureId ?? null) === (item.signatureId ?? null) &&
  (m.ref ?? null) === (item.ref ?? null);
