// 个人签章: the server's own views (domain/signatures/signature-views.ts), imported as types.
import type { CaptureSessionView, MySignaturesView } from '../../../domain/signatures/signature-views';

/** GET /api/me/signatures */
export type SignaturesResponse = MySignaturesView;
export type SignatureItem = SignaturesResponse['signatures'][number];
export type DateSealSettings = SignaturesResponse['dateSeal'];

/** POST /api/me/signature-captures and its status events. */
export type CaptureView = CaptureSessionView & {
  /** Only in POST's answer: the phone's page. */
  url?: string;
};
