/**
 * Bench section "verification" (issue 12): verifying a 2-signature 10-page contract in process,
 * next to (1) its lower bound measured in the same run — for each signature, SHA-256 of its two
 * byte ranges plus one RSA-2048 verification of its signed attributes with node crypto — and
 * (2) poppler's `pdfsig` run as a whole process on the same file with an NSS database that
 * trusts the platform root (what an outside reader pays to check the file).
 */
import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify as nodeVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareForSigning } from '../documents/pdf/normalize-pdf';
import { signPdf } from '../documents/pdf/sign-pdf';
import { makeCa, makePdf, makeSigner } from '../documents/pdf/test-helpers';
import { verifyPdf } from '../documents/pdf/verify-pdf';
import { renderNameSeal } from '../documents/seals/name-seal';
import { loadPdf } from '../documents/pdf/safe-load';
import { medianMs, pairedMedianMs } from './measure';
import { benchRow, type BenchRow } from './table';

const ROUNDS = 30;
/** Paired warm-up rounds before the in-process row: about where verification reaches its steady state. */
const WARMUP_ROUNDS = 300;
/** Verifications measured right after the first one of the process (the cold note). */
const COLD_ROUNDS = 40;

/** The part of the work no verifier can skip, for one signature: hash its ranges, verify its RSA signature. */
interface LowerBoundInput {
  ranges: [Uint8Array, Uint8Array];
  signedAttrs: Buffer;
  signature: Buffer;
  publicKey: ReturnType<typeof createPublicKey>;
}

/** The byte ranges, signed attributes and signature value of each signature (found by offsets, outside the timing). */
function lowerBoundInputs(pdf: Uint8Array, signerCertsPem: string[]): LowerBoundInput[] {
  const text = Buffer.from(pdf).toString('latin1');
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) => m.slice(1, 5).map(Number));
  if (ranges.length !== signerCertsPem.length) throw new Error(`expected ${signerCertsPem.length} signatures, found ${ranges.length}`);
  return ranges.map(([, l1, s2, l2], i) => {
    const cms = Buffer.from(text.slice(l1! + 1, s2! - 1), 'hex');
    // The signed attributes are the one [0] IMPLICIT SET in the SignerInfo (tag A0) that precedes the
    // signature algorithm; the signature is the last OCTET STRING. Found once here by a DER walk.
    const { signedAttrs, signature } = signerInfoParts(cms);
    return {
      ranges: [pdf.subarray(0, l1), pdf.subarray(s2!, s2! + l2!)],
      signedAttrs,
      signature,
      publicKey: new X509Certificate(signerCertsPem[i]!).publicKey,
    };
  });
}

/** Minimal DER walk of ContentInfo → SignedData → first SignerInfo (bench-local: sections do not share code). */
function signerInfoParts(der: Buffer): { signedAttrs: Buffer; signature: Buffer } {
  const read = (at: number) => {
    const tag = der[at]!;
    let len = der[at + 1]!;
    let head = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i]!;
      head = 2 + n;
    }
    return { tag, start: at + head, end: at + head + len, at };
  };
  const children = (el: { start: number; end: number }) => {
    const out = [];
    for (let p = el.start; p < el.end; ) {
      const c = read(p);
      out.push(c);
      p = c.end;
    }
    return out;
  };
  const contentInfo = read(0);
  const explicit = children(contentInfo)[1]!;
  const signedData = children(explicit)[0]!;
  const signerInfos = children(signedData).at(-1)!;
  const signerInfo = children(signerInfos)[0]!;
  const parts = children(signerInfo);
  const attrs = parts.find((p) => p.tag === 0xa0)!;
  const signed = Buffer.from(der.subarray(attrs.at, attrs.end));
  signed[0] = 0x31;
  const sig = parts.findLast((p) => p.tag === 0x04)!;
  return { signedAttrs: signed, signature: Buffer.from(der.subarray(sig.start, sig.end)) };
}

function lowerBound(inputs: LowerBoundInput[]): boolean {
  let ok = true;
  for (const s of inputs) {
    createHash('sha256').update(s.ranges[0]).update(s.ranges[1]).digest();
    ok &&= nodeVerify('sha256', s.signedAttrs, s.publicKey, s.signature);
  }
  return ok;
}

export async function run(): Promise<BenchRow[]> {
  const ca = await makeCa('Bench Verify CA');
  const [a, b] = [await makeSigner(ca, '张三'), await makeSigner(ca, '李四')];
  const seal = await renderNameSeal('张三');
  const appearance = (x: number) => ({ page: 10, x, y: 600, width: 57, height: 57, png: seal });
  const pdf = await prepareForSigning(await makePdf({ pages: 10 }));
  const once = await signPdf({ pdf, signer: a, signerName: '张三', fieldName: '签署方1', appearance: appearance(100) });
  const twice = await signPdf({ pdf: once, signer: b, signerName: '李四', fieldName: '签署方2', appearance: appearance(350) });
  const roots = { trustedRootsPem: [ca.rootCertificatePem()] };

  const check = await verifyPdf(twice, roots);
  if (!(check.intact && check.signedByPlatform && !check.modifiedAfterSigning && check.signatures.length === 2)) {
    throw new Error(`bench file does not verify: ${JSON.stringify(check)}`);
  }
  const inputs = lowerBoundInputs(twice, [a.certificatePem, b.certificatePem]);
  if (!lowerBound(inputs)) throw new Error('lower-bound inputs do not verify');

  // The first verifications of a fresh process run while the JIT compiles the lean reader (measured
  // as a note); the row is the steady state of a worker that verifies many files.
  const coldMs = await medianMs(() => verifyPdf(twice, roots), COLD_ROUNDS, 0);
  const [verifyMs, boundMs] = await pairedMedianMs(() => verifyPdf(twice, roots), () => lowerBound(inputs), 2 * ROUNDS, WARMUP_ROUNDS);
  const parseMs = await medianMs(() => loadPdf(twice), ROUNDS, 5);
  const rows: BenchRow[] = [
    benchRow({
      section: 'verification',
      what: 'verify a 2-signature 10-page PDF in process (median)',
      today: verifyMs,
      unit: 'ms',
      anchor: { what: '2 × (SHA-256 of the byte ranges + RSA-2048 verify)', value: boundMs },
      goal: { max: 5 },
      note: `${(twice.byteLength / 1024).toFixed(0)} KB file, steady state after ${WARMUP_ROUNDS} warm-up rounds; the first ${COLD_ROUNDS} verifications of the process ${coldMs.toFixed(2)} ms (JIT warming up); loading the file with pdf-lib alone (the general path's parse) ≈ ${parseMs.toFixed(1)} ms`,
    }),
  ];

  const dir = mkdtempSync(join(tmpdir(), 'sealflow-bench-verify-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, twice);
    writeFileSync(join(dir, 'root.pem'), ca.rootCertificatePem());
    const db = `sql:${dir}`;
    const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
    if (sh('certutil', ['-N', '--empty-password', '-d', db]).status !== 0) throw new Error('certutil -N failed');
    if (sh('certutil', ['-A', '-t', 'C,C,C', '-n', 'root', '-i', join(dir, 'root.pem'), '-d', db]).status !== 0) throw new Error('certutil -A failed');
    const pdfsig = () => {
      const r = sh('pdfsig', ['-nssdir', db, file]);
      if (r.status !== 0 || (r.stdout.match(/Signature is Valid\./g) ?? []).length !== 2) throw new Error(`pdfsig did not validate the bench file: ${r.stdout}${r.stderr}`);
    };
    const [inProcessMs, pdfsigMs] = await pairedMedianMs(() => verifyPdf(twice, roots), pdfsig, Math.round(ROUNDS / 2), 2);
    rows.push(
      benchRow({
        section: 'verification',
        what: 'verify the same file in process (median)',
        today: inProcessMs,
        unit: 'ms',
        anchor: { what: '`pdfsig -nssdir` whole process', value: pdfsigMs },
        goal: { max: 1 },
        note: 'ratio < 1 means faster than pdfsig',
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
