// GET /api/contracts/:id/sign-options?participantId= — what the acting participant may stamp
// (docs/http-api.md): the palette, the enterprise's seals, the person's handwritten signatures,
// the resize limits and the cap on marks. The server decides; the page only offers.
import type { SignOptionSeal, SignOptionSignature, SignOptions } from '../../../../domain/contracts/sign-options';
import type { Size } from '../../pdf/geometry';
import type { EditorMark, MarkKind, PaletteItem, SizeLimits } from '../../pdf/placement';

/** The answer's shapes are the server's own (domain/contracts/sign-options.ts). */
export type { SignOptionSeal, SignOptionSignature, SignOptions };

export const signOptionsUrl = (contractId: string, participantId: string) =>
  `/api/contracts/${encodeURIComponent(contractId)}/sign-options?participantId=${encodeURIComponent(participantId)}`;

/** The signer's own 人名章 and today's 日期章 in their style, as the server draws them (GET /me/signatures/…). */
export const OWN_NAME_SEAL_URL = '/api/me/signatures/name-seal';
export const OWN_DATE_SEAL_URL = '/api/me/signatures/date-seal';

/** Palette kinds in the order they are offered. */
const PERSON_KINDS: MarkKind[] = ['name_seal', 'handwritten', 'date'];

/** The handwritten signature preselected in the chooser: the default one, else the newest (what the server stamps without a choice). */
export const defaultSignatureOf = (options: SignOptions): SignOptionSignature | undefined => options.signatures.find((s) => s.isDefault) ?? options.signatures[0];

/**
 * The palette of a free-placement signer: a person 人名章 / 手写签名 (the signature chosen
 * (`chosenSignatureId`), else the default one, else the latest; the others as hidden items so
 * marks placed with them keep their picture; none saved: shown with why) / 日期章; an enterprise or department each of its seals (not usable: shown
 * with why), 骑缝章 of each seal, 日期章. `words.label` names a chip (`seal`/`riding`: with the seal).
 */
export function paletteFromOptions(
  options: SignOptions,
  words: { label: (kind: MarkKind, seal?: SignOptionSeal) => string; reason: (seal: SignOptionSeal) => string | null | undefined; noSignature: string; sealUnusable: string },
  chosenSignatureId?: string | null,
): PaletteItem[] {
  const { label } = words;
  // The editor's kinds (a superset: it also places fields).
  const allowed = new Set<MarkKind>(options.allowedKinds);
  if (options.kind === 'person') {
    const chosen = options.signatures.find((s) => s.id === chosenSignatureId) ?? defaultSignatureOf(options);
    return PERSON_KINDS.filter((k) => allowed.has(k)).flatMap((kind): PaletteItem[] => {
      if (kind !== 'handwritten') return [{ kind, label: label(kind), imageUrl: kind === 'name_seal' ? OWN_NAME_SEAL_URL : OWN_DATE_SEAL_URL }];
      if (!chosen) return [{ kind, label: label(kind), disabledReason: words.noSignature }];
      return [chosen, ...options.signatures.filter((s) => s !== chosen)].map((s) => ({ kind, label: label(kind), signatureId: s.id, imageUrl: s.imageUrl, hidden: s !== chosen }));
    });
  }
  const seals = (kind: 'seal' | 'riding'): PaletteItem[] =>
    allowed.has(kind)
      ? options.seals.map((s) => ({ kind, sealId: s.id, sealType: s.type, imageUrl: s.imageUrl, label: label(kind, s), disabledReason: s.usable ? null : (words.reason(s) ?? words.sealUnusable) }))
      : [];
  return [...seals('seal'), ...seals('riding'), ...(allowed.has('date') ? [{ kind: 'date' as const, label: label('date') }] : [])];
}

/** The seal of a mark, if it names one. */
export const sealOf = (options: SignOptions, mark: Pick<EditorMark, 'sealId'>) => options.seals.find((s) => s.id === mark.sealId);

/** Base size of a mark before resizing: a seal's physical size, else the kind's size (`fallback`). */
export function baseSizeOf(options: SignOptions, kind: MarkKind, sealId: string | null | undefined, fallback: Size): Size {
  const seal = kind === 'seal' || kind === 'riding' ? options.seals.find((s) => s.id === sealId) : undefined;
  return seal ? { width: seal.widthPt, height: seal.heightPt } : fallback;
}

/**
 * Resize limits of a mark: the served limits of its kind, scaled to the mark's base size when that
 * differs from the size the limits were given for (seals of another type). `kindBase`: the kind's
 * default size (contract options).
 */
export function limitsFor(options: SignOptions, kind: MarkKind, base: Size, kindBase: Size): SizeLimits | null {
  // The editor's kinds (a superset: fields have no served limits).
  const served: Partial<Record<MarkKind, SizeLimits>> = options.limits;
  const limits = served[kind];
  if (!limits) return null;
  const f = base.width / Math.max(0.01, kindBase.width);
  if (Math.abs(f - 1) < 0.001) return limits;
  const scale = (s: Size): Size => ({ width: s.width * f, height: s.height * f });
  return { min: scale(limits.min), max: scale(limits.max) };
}
