import { AuditEventSchema } from '../audit/audit-event.entity';
import { CaMaterialSchema, SigningCertificateSchema } from '../certificates/certificate.entities';
import { ContractSignerSchema } from '../contracts/contract-signer.entity';
import { ContractSchema } from '../contracts/contract.entity';
import { DocumentVersionSchema } from '../contracts/document-version.entity';
import { WillingnessConfirmationSchema } from '../contracts/willingness-confirmation.entity';
import { SessionSchema } from '../identity/session.entity';
import { UserSchema } from '../identity/user.entity';
import { SmsChallengeSchema, SmsOutboxMessageSchema } from '../sms/sms.entities';

/** Every entity of the app; the same list for SQLite and MySQL/MariaDB. */
export const ALL_ENTITIES = [
  UserSchema,
  SessionSchema,
  ContractSchema,
  ContractSignerSchema,
  DocumentVersionSchema,
  WillingnessConfirmationSchema,
  SmsOutboxMessageSchema,
  SmsChallengeSchema,
  SigningCertificateSchema,
  CaMaterialSchema,
  AuditEventSchema,
];
