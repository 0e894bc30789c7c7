/**
 * Signing engine bench section (issue 12, Part S): stamping + PAdES-signing one signer on a
 * 10-page PDF, in process, against its lower bound measured in the same run (interleaved); and
 * the bytes one signature adds against the signature data it must carry.
 *
 *   npx tsx -e "import('./bench/signing.ts').then(async (m) => (await m.run()).forEach((r) => console.log(r)))"
 */
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { cadesLengthBound } from '../documents/pdf/cms-sign';
import { prepareForSigning } from '../documents/pdf/normalize-pdf';
import { signPdf, type SignPdfInput } from '../documents/pdf/sign-pdf';
import { TIMESTAMP_TOKEN_ROOM } from '../documents/pdf/sign-plan';
import { makeCa, makePdf, makeSigner } from '../documents/pdf/test-helpers';
import { renderNameSeal } from '../documents/seals/name-seal';
import { pairedMedianMs } from './measure';
import { benchRow, type BenchRow } from './table';

const ROUNDS = Number(process.env.BENCH_SIGNING_ROUNDS ?? 40);
/** Unmeasured rounds first: the figure is the warm, in-process cost (a signing worker signs many documents). */
const WARMUP = 30;

export async function run(): Promise<BenchRow[]> {
  const ca = await makeCa('Bench CA');
  const signer = await makeSigner(ca, '张三');
  const pdf = await prepareForSigning(await makePdf({ pages: 10 }));
  const seal = await renderNameSeal('张三');
  const input: SignPdfInput = { pdf, signer, signerName: '张三', fieldName: '签署方1', appearance: { page: 10, x: 100, y: 600, width: 57, height: 57, png: seal } };
  const signed = await signPdf(input);

  // Lower bound: what any PAdES signer must do — hash the bytes it signs and make one RSA-2048 signature (key already parsed).
  const key = createPrivateKey(signer.privateKeyPem);
  const anchor = () => sign('sha256', createHash('sha256').update(signed).digest(), key);
  const [signMs, anchorMs] = await pairedMedianMs(() => signPdf(input), anchor, ROUNDS, WARMUP);

  // Bytes: one signature's update vs the signature data it carries (/Contents holds it as hex: 2 bytes per byte).
  const added = signed.length - pdf.length;
  const cms = cadesLengthBound(signer, new Date());
  const contentsHex = 2 * (cms + TIMESTAMP_TOKEN_ROOM);
  const kb = (n: number) => n / 1024;
  return [
    benchRow({
      section: 'signing',
      what: 'stamp + PAdES-sign one signer, 10-page PDF, in process (median)',
      today: signMs,
      unit: 'ms',
      anchor: { what: 'SHA-256 of the signed bytes + one RSA-2048 signature', value: anchorMs },
      goal: { max: 3 },
      note: `${ROUNDS} interleaved rounds; PDF ${pdf.length} → ${signed.length} bytes`,
    }),
    benchRow({
      section: 'signing',
      what: 'bytes added per signature (one 张三 name seal)',
      today: kb(added),
      unit: 'KB',
      anchor: { what: `the /Contents it must carry as hex: CMS ${cms} B + RFC 3161 room ${TIMESTAMP_TOKEN_ROOM} B`, value: kb(contentsHex) },
      goal: { max: 2 },
      note: `${(added / (2 * cms)).toFixed(2)}× the CMS alone as hex, ${(added / cms).toFixed(1)}× the CMS DER; was 47.5 KB`,
    }),
  ];
}
