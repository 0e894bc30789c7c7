/** GET /api/me/signatures */
export interface SignatureItem {
  id: string;
  kind: 'handwritten';
  width: number;
  height: number;
  createdAt: string;
  imageUrl: string;
  isDefault: boolean;
}

export interface DateSealSettings {
  enabled: boolean;
  format: string;
  color: 'red' | 'black';
  formats: string[];
  colors: ('red' | 'black')[];
}

export interface SignaturesResponse {
  nameSeal: { imageUrl: string; isDefault: boolean };
  signatures: SignatureItem[];
  defaultSignatureId: string | null;
  dateSeal: DateSealSettings;
  maxSignatures: number;
}

/** POST /api/me/signature-captures and its status events. */
export interface CaptureView {
  id: string;
  status: 'waiting' | 'submitted' | 'expired';
  expiresAt: string;
  signatureId: string | null;
  url?: string;
}
