import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import libreofficeConvert from 'libreoffice-convert';
import { DocumentError } from '../../documents/errors';
import { looksLikePdf, type OfficeConverter } from './office-converter';
import { officeProcessEnv, SOFFICE_PROGRAM_DIR } from './office-profile';
import { DEFAULT_OFFICE_MEMORY_LIMIT_BYTES } from './warm-office-converter';

/**
 * The simple path: libreoffice-convert (the design card's package) — a cold `soffice --convert-to pdf` with a
 * fresh temporary profile per document (≈ 1.5–8 s each here). Kept for OFFICE_CONVERTER=simple and as the
 * benchmark anchor. Bounded like the warm one: `concurrency` conversions at a time, `maxQueue` waiting (then
 * OFFICE_BUSY), a timeout per document. The library's kill on timeout reaches only the launcher (oosplash), so
 * each call gets its own temporary directory and a timeout also kills every process whose command line names it.
 * Each soffice runs under the same memory limit as the warm ones (RLIMIT_AS through prlimit, by the wrapper
 * soffice-under-memory-limit.sh: the library takes a binary, not a command).
 */

export interface SimpleOfficeOptions {
  concurrency?: number;
  maxQueue?: number;
  timeoutMs?: number;
  /** Address space of each soffice and its children, bytes (default DEFAULT_OFFICE_MEMORY_LIMIT_BYTES, 0: none). */
  memoryLimitBytes?: number;
  sofficePath?: string;
}

/** The wrapper that execs soffice under the memory limit (libreoffice-convert runs the binary it is given). */
const LIMITED_SOFFICE = fileURLToPath(new URL('./soffice-under-memory-limit.sh', import.meta.url));
/** The wrapper's exit status when prlimit is missing, and prlimit's when soffice is (util-linux EX_EXEC_ENOENT). */
const CANNOT_EXECUTE = 127;

type ConvertWithOptions = (
  document: Buffer,
  format: string,
  filter: string | undefined,
  options: Record<string, unknown>,
  callback: (err: NodeJS.ErrnoException | null, data: Buffer) => void,
) => void;

export function createSimpleOfficeConverter(options: SimpleOfficeOptions = {}): OfficeConverter {
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const maxQueue = options.maxQueue ?? 16;
  const defaultTimeout = options.timeoutMs ?? 120_000;
  const soffice = options.sofficePath ?? path.join(SOFFICE_PROGRAM_DIR, 'soffice');
  const memoryLimit = options.memoryLimitBytes ?? DEFAULT_OFFICE_MEMORY_LIMIT_BYTES;
  // Under a limit the wrapper is the binary; it is told the real one and the limit through its environment.
  const binary = memoryLimit > 0 ? LIMITED_SOFFICE : soffice;
  const env = () => (memoryLimit > 0 ? { ...officeProcessEnv(), SEALFLOW_SOFFICE: soffice, SEALFLOW_OFFICE_MEMORY_LIMIT: String(memoryLimit) } : officeProcessEnv());
  const convertWithOptions = libreofficeConvert.convertWithOptions as unknown as ConvertWithOptions;
  const waiting: Array<() => void> = [];
  let running = 0;
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();

  function convertOnce(docx: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-simple-office-'));
    return new Promise<Uint8Array>((resolve, reject) => {
      convertWithOptions(
        Buffer.from(docx),
        'pdf',
        'writer_pdf_Export',
        {
          fileName: 'document.docx',
          tmpOptions: { tmpdir: dir },
          sofficeBinaryPaths: [binary],
          execOptions: { timeout: timeoutMs, killSignal: 'SIGKILL', env: env() },
          asyncOptions: { times: 1, interval: 50 },
        },
        (err, data) => {
          if (err) {
            const killed = (err as { killed?: boolean }).killed || (err as { signal?: string }).signal === 'SIGKILL';
            if (killed) killProcessesNaming(dir);
            if ((err as { code?: unknown }).code === CANNOT_EXECUTE && binary === LIMITED_SOFFICE) {
              // prlimit missing (the wrapper says so) or soffice missing (prlimit says so): the last line names it.
              const said = err.message.trim().split('\n').at(-1);
              reject(new DocumentError('OFFICE_UNAVAILABLE', `cannot start LibreOffice (${soffice}, under prlimit from util-linux for the memory limit): ${said}`));
              return;
            }
            reject(new DocumentError('OFFICE_CONVERSION_FAILED', killed ? `the conversion took longer than ${timeoutMs} ms` : `the document could not be converted: ${err.message}`));
            return;
          }
          const pdf = new Uint8Array(data);
          if (!looksLikePdf(pdf)) reject(new DocumentError('OFFICE_CONVERSION_FAILED', 'LibreOffice produced no PDF'));
          else resolve(pdf);
        },
      );
    }).finally(() => {
      // After the library's own clean-up of its subfolders (it throws if they are already gone).
      setTimeout(() => fs.rm(dir, { recursive: true, force: true }, () => undefined), 200);
    });
  }

  return {
    async toPdf(docx, opts) {
      if (closed) throw new DocumentError('OFFICE_UNAVAILABLE', 'the Word converter is shut down');
      if (running < concurrency) running++;
      else {
        if (waiting.length >= maxQueue) throw new DocumentError('OFFICE_BUSY', `${running} conversions run and ${waiting.length} documents wait`);
        await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing call hands over its turn
        if (closed) throw new DocumentError('OFFICE_UNAVAILABLE', 'the Word converter is shutting down');
      }
      const work = convertOnce(docx, opts?.timeoutMs ?? defaultTimeout);
      inFlight.add(work);
      try {
        return await work;
      } finally {
        inFlight.delete(work);
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
    async close() {
      closed = true;
      for (const wake of waiting.splice(0)) wake();
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** SIGKILLs the processes whose command line contains `marker` (a directory unique to one conversion). */
function killProcessesNaming(marker: string): void {
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
}
