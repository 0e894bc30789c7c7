/**
 * Housekeeping (the reconcile pass): a certificate order that has ended keeps no copy of its seal's private key. An
 * issued order's key lives on in the certificate row (store-issued-certificate.ts moves it there, and one that is
 * stored from now on is cleared in that same transaction); a rejected or cancelled order's key will never be used.
 * Endings that happen elsewhere (撤销, deadlines, the CA's own answers) leave their key to this pass.
 */
import type { EntityManager } from '@mikro-orm/core';
import { CertificateOrderSchema } from './certificate-order.entity';

export async function forgetEndedOrderKeys(em: EntityManager): Promise<number> {
  return em.nativeUpdate(CertificateOrderSchema, { status: { $in: ['issued', 'rejected', 'cancelled'] }, privateKeyEncrypted: { $ne: null } }, { privateKeyEncrypted: null });
}
