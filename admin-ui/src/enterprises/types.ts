export interface AdminEnterprise {
  id: string;
  name: string;
  uscc: string;
  legalRepresentative: string;
  status: 'pending' | 'certified' | 'rejected' | 'cancelled';
  statusLabel: string;
  statusLabelEn?: string;
  rejectReason: string | null;
  sealTypes: string[];
  sealTypeNames: string[];
  certifierUserId: string;
  certifierName: string;
  adminUserId: string | null;
  submittedAt: string;
  certifiedAt: string | null;
  /** Only on GET /api/admin/enterprises/:id. */
  authorizationLetterUrl?: string;
}
