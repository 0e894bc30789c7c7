import { isIssuedBy, type ParsedCertificate } from './certificate-cache';

export interface ChainResult {
  ok: boolean;
  error?: string;
}

const MAX_DEPTH = 6;

function validAt(cert: ParsedCertificate, t: number): boolean {
  return cert.validFrom <= t && t <= cert.validTo;
}

function label(cert: ParsedCertificate): string {
  return cert.node.subject.replace(/\n/g, ', ');
}

/**
 * Path validation for a document-signing certificate: every link's signature verifies, every
 * certificate is valid at `at`, intermediates are CAs, the end entity may sign (keyUsage
 * digitalSignature or nonRepudiation), and the path ends at one of `roots`. No revocation.
 */
export function chainsToTrustedRoot(signer: ParsedCertificate, pool: ParsedCertificate[], roots: ParsedCertificate[], at: Date): ChainResult {
  if (roots.length === 0) return { ok: false, error: 'no trusted roots configured' };
  if (signer.maySign === false) return { ok: false, error: 'signer certificate is not allowed to sign (keyUsage)' };
  const rootPrints = new Set(roots.map((r) => r.fingerprint));
  const isRoot = (c: ParsedCertificate) => rootPrints.has(c.fingerprint);
  const candidates = [...roots, ...pool];
  const t = at.getTime();

  let current = signer;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (!validAt(current, t)) return { ok: false, error: `certificate ${label(current)} is not valid at ${at.toISOString()}` };
    if (isRoot(current)) return { ok: true };
    const child = current;
    const issuer = candidates.find((c) => c.fingerprint !== child.fingerprint && isIssuedBy(child, c));
    if (!issuer) return { ok: false, error: `no trusted issuer found for ${label(current)}` };
    if (!isRoot(issuer) && !issuer.node.ca) return { ok: false, error: `issuer ${label(issuer)} is not a CA` };
    current = issuer;
  }
  return { ok: false, error: 'certificate chain too long' };
}
