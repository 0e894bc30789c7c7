/**
 * 个人签章 (M8) as the caller's pages see it (GET /api/me/signatures, /api/me/signature-captures…; portal-ui imports
 * the types): the 人名章 and the handwritten signatures with their image links and which one is the default, the
 * 日期章 settings with the formats and colours offered, and a QR-code capture session's state.
 */
import { DATE_SEAL_COLORS, DATE_SEAL_FORMATS } from '../../documents/seals/date-seal';
import { captureStatus, type captureInfo } from './signature-capture';
import type { PersonalSignature, SignatureCaptureSession } from './signature.entities';
import type { readDateSettings } from './signature-settings';
import { MAX_SIGNATURES_PER_USER } from './signature-settings';

type DateSettings = Awaited<ReturnType<typeof readDateSettings>>;

/** GET /api/me/signatures: `listSignatures`' answer and `readDateSettings`'. */
export const presentMySignatures = ({ signatures, defaultSignatureId }: { signatures: PersonalSignature[]; defaultSignatureId: string | null }, date: DateSettings) => ({
  nameSeal: { imageUrl: '/api/me/signatures/name-seal', isDefault: defaultSignatureId === null },
  signatures: signatures.map((s) => ({
    id: s.id,
    kind: s.kind,
    width: s.width,
    height: s.height,
    createdAt: s.createdAt.toISOString(),
    imageUrl: `/api/me/signatures/${s.id}/image`,
    isDefault: s.id === defaultSignatureId,
  })),
  defaultSignatureId,
  dateSeal: { ...date, formats: DATE_SEAL_FORMATS, colors: Object.keys(DATE_SEAL_COLORS) as (keyof typeof DATE_SEAL_COLORS)[] },
  maxSignatures: MAX_SIGNATURES_PER_USER,
});
export type MySignaturesView = ReturnType<typeof presentMySignatures>;

/** A capture session's state (GET /api/me/signature-captures/:id and its `status` events; POST adds the phone's `url`). */
export const presentCaptureSession = (session: SignatureCaptureSession, now = new Date()) => ({
  id: session.id,
  status: captureStatus(session, now),
  expiresAt: session.expiresAt.toISOString(),
  signatureId: session.signatureId,
});
export type CaptureSessionView = ReturnType<typeof presentCaptureSession>;

/** The phone's capture page (GET /api/signature-captures/:token, no login): whose signature, until when, its state. */
export const presentCaptureLink = (info: Awaited<ReturnType<typeof captureInfo>>) => ({ maskedName: info.maskedName, expiresAt: info.expiresAt.toISOString(), status: info.status });
export type CaptureLinkView = ReturnType<typeof presentCaptureLink>;
