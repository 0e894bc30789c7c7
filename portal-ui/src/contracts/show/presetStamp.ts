// How the preview shows a preset mark stamped (一键盖章) before the signature: the seal's or the
// handwritten signature's picture from the sign options, else its words (人名章, 日期章). The
// server draws the real marks when signing; this is a preview only.
import type { ContractMarkView, ParticipantView } from '../types';
import { OWN_DATE_SEAL_URL, OWN_NAME_SEAL_URL, type SignOptions } from './signOptions';

type Translate = (key: string, options?: object) => string;

/** The picture of a stamped preset mark, or null (drawn as text). A person's 人名章 / 日期章: their own, as the server draws them. */
export const presetMarkImage =
  (options: SignOptions | undefined, participant: ParticipantView) =>
  (mark: ContractMarkView): string | null => {
    if (participant.kind === 'person' && (mark.kind === 'name_seal' || mark.kind === 'date')) return mark.kind === 'date' ? OWN_DATE_SEAL_URL : OWN_NAME_SEAL_URL;
    if (!options) return null;
    if (mark.kind === 'seal' || mark.kind === 'riding') {
      const ofType = options.seals.filter((s) => s.type === mark.sealType);
      return (ofType.find((s) => s.usable && s.imageUrl) ?? ofType.find((s) => s.imageUrl))?.imageUrl ?? null;
    }
    if (mark.kind === 'handwritten' || mark.kind === 'personal') {
      const signatures = options.signatures;
      return (signatures.find((s) => s.isDefault) ?? signatures[0])?.imageUrl ?? null;
    }
    return null;
  };

/** The words of a stamped preset mark without a picture: the name (人名章), today's date (日期章). */
export const presetMarkText =
  (participant: ParticipantView, translate: Translate) =>
  (mark: ContractMarkView): string => {
    if (mark.kind === 'date') {
      const d = new Date();
      return translate('portal.contracts.sign.date_text', { y: d.getFullYear(), m: d.getMonth() + 1, d: d.getDate() });
    }
    if (mark.kind === 'name_seal' || mark.kind === 'personal') return participant.kind === 'person' ? participant.name : translate('portal.contracts.show.mark_name_seal');
    return translate(`portal.contracts.show.mark_${mark.kind}`);
  };
