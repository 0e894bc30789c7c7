// Locale-aware formatting helpers for places outside react-admin fields.
import { intlLocale } from './api/locale';

const DATE_TIME: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
};

export function formatDateTime(value: string | number | Date | null | undefined, locale?: string): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(intlLocale(locale), DATE_TIME);
}

/** `yyyy-MM-ddTHH:mm` in local time, for <input type="datetime-local">. */
export function toDateTimeLocalValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** 138****0001, as the API masks mobile numbers. */
export function maskMobile(mobile: string | null | undefined): string {
  if (!mobile) return '';
  return mobile.length === 11 ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : mobile;
}

/** Joins names as the locale lists them: 公章、合同专用章 / Official seal, Contract seal. */
export function joinNames(names: readonly string[], locale: string): string {
  return names.join(locale === 'en' ? ', ' : '、');
}
