import { EntitySchema } from '@mikro-orm/core';
import type { AuditAction } from './audit-actions';

export interface AuditEvent {
  id: string;
  at: Date;
  actorId: string | null;
  actorName: string;
  action: AuditAction;
  targetType: string;
  targetId: string;
  enterpriseId: string | null;
  detail: string | null;
  ip: string | null;
}

export const AuditEventSchema = new EntitySchema<AuditEvent>({
  name: 'AuditEvent',
  tableName: 'audit_events',
  // (enterprise_id, at): the 企业控制台 audit list of one enterprise (GET /console/audit-events), newest first.
  indexes: [{ properties: ['targetType', 'targetId'] }, { properties: ['enterpriseId', 'at'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    at: { type: 'datetime', length: 3, index: true },
    actorId: { type: 'string', length: 36, nullable: true },
    actorName: { type: 'string', length: 100 },
    action: { type: 'string', length: 60 },
    targetType: { type: 'string', length: 30 },
    targetId: { type: 'string', length: 36 },
    enterpriseId: { type: 'string', length: 36, nullable: true },
    detail: { type: 'text', nullable: true },
    ip: { type: 'string', length: 64, nullable: true },
  },
});
