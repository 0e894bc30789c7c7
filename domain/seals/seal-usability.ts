import type { EntityManager } from '@mikro-orm/core';
import type { SigningCertificate } from '../certificates/certificate.entities';
import { activeSealCertificate } from '../certificates/seal-certificates';
import { MembershipSchema } from '../enterprises/membership.entity';
import { SealAuthorizationSchema, SealSchema, type Seal, type SealAuthorization } from '../enterprises/seal.entities';
import { AppError, notFound } from '../errors';

/** An authorisation counts until its `expiresAt` (exclusive); the daily sweep only tidies up. */
export const authorizationLive = (auth: Pick<SealAuthorization, 'expiresAt'>, now: Date) => !auth.expiresAt || auth.expiresAt.getTime() > now.getTime();

/**
 * The rule for using an enterprise seal to sign (issue 8 calls it when an enterprise signs): the
 * seal is the enterprise's and enabled, the user is an active member with an authorisation that
 * has not lapsed, and the seal has an issued certificate valid now. Returns the seal and that
 * certificate; otherwise throws an AppError that says which condition failed.
 */
export async function assertSealUsable(em: EntityManager, args: { enterpriseId: string; sealId: string; userId: string; now: Date }): Promise<{ seal: Seal; certificate: SigningCertificate }> {
  const seal = await em.findOne(SealSchema, { id: args.sealId, enterpriseId: args.enterpriseId, status: { $ne: 'voided' } });
  if (!seal) throw notFound('SEAL_NOT_FOUND', '印章不存在', 'Seal not found');
  if (seal.status !== 'active') throw new AppError('rejected', 'SEAL_DISABLED', `印章“${seal.name}”已停用，不能用于签署`, `The seal "${seal.name}" is disabled and cannot be used to sign`);
  const member = await em.findOne(MembershipSchema, { enterpriseId: args.enterpriseId, userId: args.userId, status: 'active' });
  const auth = member ? await em.findOne(SealAuthorizationSchema, { sealId: seal.id, userId: args.userId }) : null;
  if (!auth) throw new AppError('forbidden', 'SEAL_NOT_AUTHORIZED', `您没有印章“${seal.name}”的使用授权`, `You are not authorised to use the seal "${seal.name}"`);
  if (!authorizationLive(auth, args.now)) {
    throw new AppError('forbidden', 'SEAL_AUTHORIZATION_LAPSED', `您对印章“${seal.name}”的授权已于 ${auth.expiresAt!.toISOString().slice(0, 10)} 到期`, `Your authorisation to use the seal "${seal.name}" lapsed on ${auth.expiresAt!.toISOString().slice(0, 10)}`);
  }
  const certificate = await activeSealCertificate(em, seal.id, args.now);
  if (!certificate) throw new AppError('rejected', 'SEAL_NO_CERTIFICATE', `印章“${seal.name}”没有有效的云证书，请先申请证书`, `The seal "${seal.name}" has no valid certificate; apply for one first`);
  return { seal, certificate };
}
