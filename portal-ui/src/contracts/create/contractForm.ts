// State, defaults, validation and multipart encoding of the 发起合同 form.
import { toDateTimeLocalValue } from '../../../../ui-shared/src/format';

export interface SignerRow {
  key: number;
  mobile: string;
  page: string;
  x: string;
  y: string;
}

export interface ContractFormValues {
  file: File | null;
  title: string;
  expiresAt: string; // datetime-local value
  signers: SignerRow[];
}

/** Translation keys (under portal.create.errors) per field. */
export interface ContractFormErrors {
  file?: string;
  title?: string;
  expiresAt?: string;
  signers?: string;
  rows: Record<number, Partial<Record<'mobile' | 'page' | 'x' | 'y', string>>>;
}

export const MAX_SIGNERS = 10;
const DAY_MS = 24 * 60 * 60 * 1000;
const MOBILE_RE = /^1\d{10}$/;

let nextKey = 1;

/** Default seal position of the n-th signer (0-based): two per row, left then right, 650 pt down. */
export function newSignerRow(index: number): SignerRow {
  const x = index % 2 === 0 ? 100 : 350;
  const y = Math.max(50, 650 - Math.floor(index / 2) * 130);
  return { key: nextKey++, mobile: '', page: '1', x: String(x), y: String(y) };
}

export function initialValues(now = new Date()): ContractFormValues {
  return {
    file: null,
    title: '',
    expiresAt: toDateTimeLocalValue(new Date(now.getTime() + 7 * DAY_MS)),
    signers: [newSignerRow(0), newSignerRow(1)],
  };
}

export const isPdf = (file: File) => file.type === 'application/pdf' || /\.pdf$/i.test(file.name);

const isCoord = (v: string) => v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0;
const isPage = (v: string) => /^\d+$/.test(v.trim()) && Number(v) >= 1;

export function validate(values: ContractFormValues, now = new Date()): ContractFormErrors | null {
  const errors: ContractFormErrors = { rows: {} };
  let failed = false;
  const fail = (set: () => void) => {
    set();
    failed = true;
  };
  if (!values.file) fail(() => (errors.file = 'file_required'));
  else if (!isPdf(values.file)) fail(() => (errors.file = 'file_not_pdf'));
  if (!values.title.trim()) fail(() => (errors.title = 'title_required'));
  const expires = new Date(values.expiresAt);
  if (!values.expiresAt || Number.isNaN(expires.getTime()) || expires <= now) {
    fail(() => (errors.expiresAt = 'expires_invalid'));
  }
  if (values.signers.length < 1 || values.signers.length > MAX_SIGNERS) fail(() => (errors.signers = 'signers_range'));
  for (const row of values.signers) {
    const rowErrors: ContractFormErrors['rows'][number] = {};
    if (!MOBILE_RE.test(row.mobile.trim())) rowErrors.mobile = 'mobile_invalid';
    if (!isPage(row.page)) rowErrors.page = 'page_invalid';
    if (!isCoord(row.x)) rowErrors.x = 'coord_invalid';
    if (!isCoord(row.y)) rowErrors.y = 'coord_invalid';
    if (Object.keys(rowErrors).length > 0) fail(() => (errors.rows[row.key] = rowErrors));
  }
  return failed ? errors : null;
}

/** multipart body of POST /api/contracts. */
export function toFormData(values: ContractFormValues): FormData {
  const body = new FormData();
  if (values.file) body.append('file', values.file, values.file.name);
  body.append('title', values.title.trim());
  body.append('expiresAt', new Date(values.expiresAt).toISOString());
  body.append(
    'signers',
    JSON.stringify(
      values.signers.map((s) => ({ mobile: s.mobile.trim(), page: Number(s.page), x: Number(s.x), y: Number(s.y) })),
    ),
  );
  return body;
}
