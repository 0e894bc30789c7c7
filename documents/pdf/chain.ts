import { X509Certificate as NodeX509 } from 'node:crypto';
import * as x509 from './x509';

export interface ChainResult {
  ok: boolean;
  error?: string;
}

const MAX_DEPTH = 6;

function validAt(cert: NodeX509, at: Date): boolean {
  const t = at.getTime();
  return new Date(cert.validFrom).getTime() <= t && t <= new Date(cert.validTo).getTime();
}

function label(cert: NodeX509): string {
  return cert.subject.replace(/\n/g, ', ');
}

/**
 * Path validation for a document-signing certificate: every link's signature verifies, every
 * certificate is valid at `at`, intermediates are CAs, the end entity may sign (keyUsage
 * digitalSignature or nonRepudiation), and the path ends at one of `roots`. No revocation.
 */
export function chainsToTrustedRoot(signerDer: Uint8Array, pool: Uint8Array[], roots: NodeX509[], at: Date): ChainResult {
  if (roots.length === 0) return { ok: false, error: 'no trusted roots configured' };
  const signer = new NodeX509(signerDer);
  const ku = new x509.X509Certificate(new Uint8Array(signerDer)).getExtension(x509.KeyUsagesExtension);
  if (ku && !(ku.usages & (x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation))) {
    return { ok: false, error: 'signer certificate is not allowed to sign (keyUsage)' };
  }
  const isRoot = (c: NodeX509) => roots.some((r) => r.fingerprint256 === c.fingerprint256);
  const candidates = [...roots, ...pool.map((d) => new NodeX509(d))];

  let current = signer;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (!validAt(current, at)) return { ok: false, error: `certificate ${label(current)} is not valid at ${at.toISOString()}` };
    if (isRoot(current)) return { ok: true };
    const issuer = candidates.find(
      (c) => c.fingerprint256 !== current.fingerprint256 && current.checkIssued(c) && current.verify(c.publicKey),
    );
    if (!issuer) return { ok: false, error: `no trusted issuer found for ${label(current)}` };
    if (!isRoot(issuer) && !issuer.ca) return { ok: false, error: `issuer ${label(issuer)} is not a CA` };
    current = issuer;
  }
  return { ok: false, error: 'certificate chain too long' };
}
