import { AuditEventSchema } from '../audit/audit-event.entity';
import { CaMaterialSchema, SigningCertificateSchema } from '../certificates/certificate.entities';
import { CertificateOrderSchema } from '../certificates/certificate-order.entity';
import { ContractCcSchema } from '../contracts/contract-cc.entity';
import { ContractMarkSchema } from '../contracts/contract-mark.entity';
import { ContractSignerSchema } from '../contracts/contract-signer.entity';
import { ContractSchema } from '../contracts/contract.entity';
import { ContractListEntrySchema } from '../contracts/lists/contract-list-entry.entity';
import { DocumentVersionSchema } from '../contracts/document-version.entity';
import { IdempotencyKeySchema } from '../contracts/idempotency-key.entity';
import { ContractNoticeSentSchema } from '../contracts/contract-notice-sent.entity';
import { WillingnessConfirmationSchema } from '../contracts/willingness-confirmation.entity';
import { BatchSigningItemSchema, BatchSigningSchema } from '../contracts/batch/batch-signing.entity';
import { ContractEventSchema } from '../contracts/trail/contract-event.entity';
import { AdminApplicationSchema, AdminTransferSchema, CodeSubmissionSchema } from '../enterprises/admin-change.entities';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { EnterpriseChangeSchema } from '../enterprises/enterprise-change.entity';
import { MembershipSchema } from '../enterprises/membership.entity';
import { SealAuthorizationSchema, SealSchema } from '../enterprises/seal.entities';
import { AttemptCounterSchema } from '../identity/attempt-counter.entity';
import { RealNameApplicationSchema } from '../identity/real-name-application.entity';
import { SessionSchema } from '../identity/session.entity';
import { PlatformSettingSchema } from '../platform/platform-setting.entity';
import { UserSchema } from '../identity/user.entity';
import { SmsChallengeSchema, SmsOutboxMessageSchema } from '../sms/sms.entities';
import { PersonalSignatureSchema, SignatureCaptureSessionSchema, SignatureSettingsSchema } from '../signatures/signature.entities';
import { NotificationSchema } from '../notifications/notification.entity';
import { CertificateReminderSchema } from '../reminders/certificate-reminder.entity';
import { DocumentTemplateSchema } from '../templates/template.entity';
import { TemplateShareSchema } from '../templates/template-share.entity';
import { TemplateGenerationSchema } from '../templates/template-generation.entity';
import { LibraryFieldSchema } from '../templates/library-field.entity';

/** Every entity of the app; the same list for SQLite and MySQL/MariaDB. */
export const ALL_ENTITIES = [
  UserSchema,
  SessionSchema,
  ContractSchema,
  ContractSignerSchema,
  ContractMarkSchema,
  ContractCcSchema,
  ContractListEntrySchema,
  ContractEventSchema,
  DocumentVersionSchema,
  WillingnessConfirmationSchema,
  BatchSigningSchema,
  BatchSigningItemSchema,
  IdempotencyKeySchema,
  ContractNoticeSentSchema,
  SmsOutboxMessageSchema,
  SmsChallengeSchema,
  SigningCertificateSchema,
  CaMaterialSchema,
  AuditEventSchema,
  RealNameApplicationSchema,
  EnterpriseSchema,
  MembershipSchema,
  SealSchema,
  SealAuthorizationSchema,
  AdminApplicationSchema,
  AdminTransferSchema,
  CodeSubmissionSchema,
  PlatformSettingSchema,
  AttemptCounterSchema,
  NotificationSchema,
  CertificateReminderSchema,
  CertificateOrderSchema,
  PersonalSignatureSchema,
  SignatureCaptureSessionSchema,
  SignatureSettingsSchema,
  EnterpriseChangeSchema,
  DocumentTemplateSchema,
  TemplateShareSchema,
  TemplateGenerationSchema,
  LibraryFieldSchema,
];
