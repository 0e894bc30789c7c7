/**
 * Entry of a document worker thread: the PDF engine's CPU-heavy functions, run off the event loop
 * of the API and of the Temporal worker (documents/pool/pdf-tasks.ts sends the tasks).
 */
import { inspectPdf, type PdfLimits } from '../pdf/inspect-pdf';
import { parsedValues, RETIRE_AFTER_PARSED_VALUES } from '../pdf/interned-values';
import { inspectAndPrepareForSigning, prepareForSigning } from '../pdf/normalize-pdf';
import { signPdf, type SignPdfInput } from '../pdf/sign-pdf';
import { verifyPdf } from '../pdf/verify-pdf';
import { serveTasks } from './serve-tasks';
import { pixelTaskHandlers } from './pixel-task-handlers';
import { textTaskHandlers } from './text-task-handlers';
import { wordTaskHandlers } from './word-task-handlers';

/** Result bytes move to the caller without a copy (copied first if they are a view into a larger buffer). */
const owned = (bytes: Uint8Array) => {
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  return { result: own, transfer: [own.buffer as ArrayBuffer] };
};

serveTasks(
  {
    inspect: async ({ bytes, limits }: { bytes: Uint8Array; limits: PdfLimits }) => ({ result: await inspectPdf(bytes, limits) }),
    prepare: async ({ bytes }: { bytes: Uint8Array }) => owned(await prepareForSigning(bytes)),
    inspectAndPrepare: async ({ bytes, limits }: { bytes: Uint8Array; limits: PdfLimits }) => {
      const { info, prepared } = await inspectAndPrepareForSigning(bytes, limits);
      const { result, transfer } = owned(prepared);
      return { result: { info, prepared: result }, transfer };
    },
    sign: async ({ input }: { input: SignPdfInput }) => owned(await signPdf(input)),
    verify: async ({ bytes, trustedRootsPem }: { bytes: Uint8Array; trustedRootsPem: string[] }) => ({ result: await verifyPdf(bytes, { trustedRootsPem }) }),
    ...wordTaskHandlers,
    ...textTaskHandlers,
    ...pixelTaskHandlers,
  },
  // pdf-lib's interned names and references only grow: a fresh thread once enough were parsed.
  { retireWhen: () => parsedValues() >= RETIRE_AFTER_PARSED_VALUES },
);
