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

/** Where the walk from a signer ends, found without looking at time: the certificates it passed and its verdict. */
interface Path {
  steps: ParsedCertificate[];
  end: ChainResult;
}

/** Paths per (pool, roots) array and signer: the certificate caches hand out the same arrays for the same DER. */
const paths = new WeakMap<ParsedCertificate[], WeakMap<ParsedCertificate[], Map<string, Path>>>();

function findPath(signer: ParsedCertificate, pool: ParsedCertificate[], roots: ParsedCertificate[]): Path {
  const rootPrints = new Set(roots.map((r) => r.fingerprint));
  const isRoot = (c: ParsedCertificate) => rootPrints.has(c.fingerprint);
  const candidates = [...roots, ...pool];
  const steps: ParsedCertificate[] = [];
  let current = signer;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    steps.push(current);
    if (isRoot(current)) return { steps, end: { ok: true } };
    const child = current;
    const issuer = candidates.find((c) => c.fingerprint !== child.fingerprint && isIssuedBy(child, c));
    if (!issuer) return { steps, end: { ok: false, error: `no trusted issuer found for ${label(current)}` } };
    if (!isRoot(issuer) && !issuer.node.ca) return { steps, end: { ok: false, error: `issuer ${label(issuer)} is not a CA` } };
    current = issuer;
  }
  return { steps, end: { ok: false, error: 'certificate chain too long' } };
}

function pathOf(signer: ParsedCertificate, pool: ParsedCertificate[], roots: ParsedCertificate[]): Path {
  let byRoots = paths.get(pool);
  if (!byRoots) paths.set(pool, (byRoots = new WeakMap()));
  let bySigner = byRoots.get(roots);
  if (!bySigner) byRoots.set(roots, (bySigner = new Map()));
  let path = bySigner.get(signer.fingerprint);
  if (!path) bySigner.set(signer.fingerprint, (path = findPath(signer, pool, roots)));
  return path;
}

/**
 * Path validation for a document-signing certificate: every link's signature verifies, every
 * certificate is valid at `at`, intermediates are CAs, the end entity may sign (keyUsage
 * digitalSignature or nonRepudiation), and the path ends at one of `roots`. No revocation.
 * The path itself does not depend on `at` (cached per pool, roots and signer); the validity of
 * each certificate on it is checked at `at` in the order of the walk.
 */
export function chainsToTrustedRoot(signer: ParsedCertificate, pool: ParsedCertificate[], roots: ParsedCertificate[], at: Date): ChainResult {
  if (roots.length === 0) return { ok: false, error: 'no trusted roots configured' };
  if (signer.maySign === false) return { ok: false, error: 'signer certificate is not allowed to sign (keyUsage)' };
  const t = at.getTime();
  const path = pathOf(signer, pool, roots);
  for (const cert of path.steps) if (!validAt(cert, t)) return { ok: false, error: `certificate ${label(cert)} is not valid at ${at.toISOString()}` };
  return path.end.ok ? { ok: true } : { ok: false, error: path.end.error };
}
