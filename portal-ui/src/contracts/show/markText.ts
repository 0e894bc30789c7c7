import type { ContractMarkView } from '../types';

type Translate = (key: string, options?: object) => string;

/** 人名章 · 第 1 页 / 合同专用章 · 第 2 页 / 骑缝章（合同专用章）第 1–5 页 / 骑缝章（合同专用章）第 1–4 页中的奇数页. */
export function markText(mark: ContractMarkView, translate: Translate, sealTypeName: (code: string) => string): string {
  const t = (key: string, opts?: object) => translate(`portal.contracts.show.${key}`, opts);
  const seal = mark.sealType ? sealTypeName(mark.sealType) : '';
  const kind = mark.kind === 'seal' ? seal || t('mark_seal') : mark.kind === 'riding' ? t('mark_riding_of', { seal: seal || t('mark_seal') }) : t(`mark_${mark.kind}`);
  if (mark.kind === 'riding') {
    const range = { from: mark.pageFrom ?? '?', to: mark.pageTo ?? '?' };
    const rule = mark.ridingRule ?? 'all';
    return `${kind} ${rule === 'all' ? t('pages_range', range) : t('pages_range_rule', { ...range, rule: translate(`portal.pdf.riding_rules.${rule}`) })}`;
  }
  if (mark.page == null) return `${kind} · ${t('mark_free')}`;
  return `${kind} · ${t('page_n', { page: mark.page })}`;
}
