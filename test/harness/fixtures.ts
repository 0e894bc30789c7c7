import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Services } from '../../bootstrap/services';
import { createUser as newUser } from '../../domain/identity/create-user';
import { hashPassword } from '../../domain/identity/passwords';
import { retryOnDeadlock } from '../../domain/persistence/concurrency';
import type { PlatformRole, RealNameStatus } from '../../domain/identity/user.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';

/** This process's slot among the test processes running at the same time (vitest's pool id; 0 outside vitest). */
const poolSlot = Number(process.env.VITEST_POOL_ID ?? 0) % 100;
let lastStamp = 0;
/**
 * A unique valid mobile number per call (tests share one database per run): 17, the process's pool slot, then a
 * per-process stamp that follows the clock in milliseconds and never repeats. Processes running at the same time
 * have different slots; one that takes a slot over starts later on the clock. (It was the clock and a per-process
 * counter: two files calling it in the same millisecond got the same number, and one's SMS budget refused the
 * other's codes.)
 */
export const uniqueMobile = () => {
  lastStamp = Math.max(lastStamp + 1, Date.now() % 1e7);
  return `17${String(poolSlot).padStart(2, '0')}${String(lastStamp % 1e7).padStart(7, '0')}`;
};

export const TEST_PASSWORD = 'Test@123456';

/** TEST_PASSWORD hashed once per test process: every fixture user shares it (argon2id costs ~40 ms of CPU per hash). */
let testPasswordHash: Promise<string> | undefined;
const sharedPasswordHash = () => (testPasswordHash ??= hashPassword(TEST_PASSWORD));

/**
 * A user straight in the database (real-name verified unless said otherwise). Retried on a lock timeout as the
 * platform's own writers are (retryOnDeadlock): on SQLite another connection to the file (a test file's own
 * platform, the CA service) may hold the write lock, or this one carry a snapshot a busy statement left behind
 * (sqlite-connection.ts retires it; the next attempt gets a fresh one).
 */
export async function createUser(services: Services, name: string, platformRole: PlatformRole | null = null, realNameStatus: RealNameStatus = 'verified') {
  return retryOnDeadlock(async () => {
    const em = services.orm.em.fork();
    const user = await newUser(em, { name, mobile: uniqueMobile(), passwordHash: await sharedPasswordHash(), platformRole, realNameStatus });
    await em.flush();
    return user;
  });
}

/**
 * The code in the newest verification-code SMS to a mobile (what the signer would read on their
 * phone). Other messages are skipped: the 待签署 / 催办 notices a workflow sends asynchronously may
 * reach the outbox after the code was requested.
 */
export async function latestSmsCode(services: Services, mobile: string): Promise<string> {
  const messages = await services.orm.em.fork().find(SmsOutboxMessageSchema, { mobile }, { orderBy: { createdAt: 'desc' }, limit: 20 });
  for (const m of messages) {
    const code = /验证码\D{0,3}(\d{6})(?!\d)/.exec(m.content)?.[1];
    if (code) return code;
  }
  throw new Error(`no verification code in the outbox for ${mobile}`);
}

/** A plain multi-page A4 PDF. */
export async function makePdf(pages = 2): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([595.28, 841.89]).drawText(`Test contract page ${i}`, { x: 72, y: 760, size: 14, font });
  return doc.save();
}

/**
 * The multipart form of 发起合同 (v2 `spec`). `signers` is the short form most tests need: one
 * person per step (named as the initiator names them), in order, each with a mark at page/x/y (a 人名章 unless `mark` says otherwise); `spec`
 * overrides or adds any spec field.
 */
export function contractForm(
  pdf: Uint8Array,
  fields: { title: string; expiresAt?: Date; signers?: { mobile: string; name: string; page: number; x: number; y: number; mark?: 'name_seal' | 'handwritten' }[]; spec?: Record<string, unknown> },
  fileName = 'contract.pdf',
) {
  const form = new FormData();
  form.append('file', new Blob([pdf as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), fileName);
  const participants = (fields.signers ?? []).map((s, i) => ({ kind: 'person', step: i + 1, mobile: s.mobile, name: s.name, marks: [{ kind: s.mark ?? 'name_seal', page: s.page, x: s.x, y: s.y }] }));
  form.append('spec', JSON.stringify({ title: fields.title, ...(fields.expiresAt ? { expiresAt: fields.expiresAt.toISOString() } : {}), participants, ...fields.spec }));
  return form;
}
