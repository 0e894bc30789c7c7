import type { EntityManager } from '@mikro-orm/core';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { SealSchema } from '../enterprises/seal.entities';
import { containsText } from '../persistence/sql-dialect';

export const ENTERPRISE_LOOKUP_LIMIT = 20;

/** An enterprise as GET /api/enterprises/lookup answers it (portal-ui imports the type). */
export interface EnterpriseLookupView {
  id: string;
  name: string;
  /** Its live 部门章's department names. */
  departments: string[];
}

/**
 * 发起合同's enterprise picker: certified enterprises whose name (or exact USCC) matches, at most 20,
 * each with the names of its live 部门章 (the departments that can be a participant).
 */
export async function lookupEnterprises(em: EntityManager, q: string): Promise<EnterpriseLookupView[]> {
  const text = q.trim();
  if (!text) return [];
  const enterprises = await em.find(
    EnterpriseSchema,
    { status: 'certified', $or: [containsText(em, 'name', text), { uscc: text.toUpperCase() }] },
    { fields: ['name'], orderBy: { name: 'asc', id: 'asc' }, limit: ENTERPRISE_LOOKUP_LIMIT },
  );
  if (enterprises.length === 0) return [];
  const seals = await em.find(
    SealSchema,
    { enterpriseId: { $in: enterprises.map((e) => e.id) }, type: 'department', status: { $ne: 'voided' } },
    { fields: ['enterpriseId', 'departmentName'], orderBy: { departmentName: 'asc' } },
  );
  return enterprises.map((e) => ({
    id: e.id,
    name: e.name,
    departments: seals.filter((s) => s.enterpriseId === e.id && s.departmentName).map((s) => s.departmentName!),
  }));
}
