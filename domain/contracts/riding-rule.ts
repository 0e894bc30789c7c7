/**
 * 骑缝区间 and 骑缝规则 of a 骑缝章: the ONE rule (start spec, signing-time marks, template definitions
 * and generation; the portal mirrors it at the place of input with its own words). The range
 * pageFrom..pageTo and the rule ('all' 全部页, 'odd' 奇数页, 'even' 偶数页) must select at least two
 * pages — a 骑缝章 joins pages (today's "至少跨两页" is the rule 'all'); the seal is cut into one strip
 * per selected page. Pure, imports only the page selection (documents/seals/riding-pages.ts): the
 * portal bundles it.
 */
import { RIDING_RULES, isRidingRule, ridingPageCount, ridingPages, type RidingRule } from '../../documents/seals/riding-pages';

export { RIDING_RULES, isRidingRule, ridingPageCount, ridingPages, type RidingRule };

/** A 骑缝章 spans at least this many selected pages. */
export const MIN_RIDING_PAGES = 2;

export const RIDING_RULE_LABELS: Record<RidingRule, { zh: string; en: string }> = {
  all: { zh: '全部页', en: 'all pages' },
  odd: { zh: '奇数页', en: 'odd pages' },
  even: { zh: '偶数页', en: 'even pages' },
};

/** The rule of a stored mark or a request: absent (rows from before the rule, clients that do not send it) = 'all'. */
export const ridingRuleOf = (rule: RidingRule | null | undefined): RidingRule => rule ?? 'all';

/** A mark's 骑缝规则 as views answer it: the rule of a 骑缝章 ('all' for rows from before the rule), null for other kinds. */
export const ridingRuleView = (m: { kind: string; ridingRule: RidingRule | null }): RidingRule | null => (m.kind === 'riding' ? ridingRuleOf(m.ridingRule) : null);

export interface RidingRangeProblem {
  /** RIDING_RANGE_INVALID: the range itself spans fewer than two pages; RIDING_RULE_TOO_FEW_PAGES: the rule keeps fewer than two of its pages. */
  code: 'RIDING_RANGE_INVALID' | 'RIDING_RULE_TOO_FEW_PAGES';
  /** How many pages the range and the rule select (0 or 1). */
  selected: number;
  zh: string;
  en: string;
}

/**
 * What is wrong with a 骑缝区间 and 骑缝规则, or null when they select at least two pages. Whether the
 * pages exist is the caller's check (it knows the document).
 */
export function ridingRangeProblem(pageFrom: number, pageTo: number, rule: RidingRule | null | undefined): RidingRangeProblem | null {
  const r = ridingRuleOf(rule);
  const selected = Math.min(ridingPageCount(pageFrom, pageTo, r), MIN_RIDING_PAGES); // counted, never listed: the range may be hostile
  if (selected >= MIN_RIDING_PAGES) return null;
  if (r === 'all' || pageTo < pageFrom) return { code: 'RIDING_RANGE_INVALID', selected, zh: '骑缝章至少跨两页', en: 'a cross-page seal spans at least two pages' };
  const { zh: ruleZh, en: ruleEn } = RIDING_RULE_LABELS[r];
  const range = `${pageFrom}–${pageTo}`;
  return selected === 0
    ? { code: 'RIDING_RULE_TOO_FEW_PAGES', selected, zh: `骑缝区间第 ${range} 页中没有${ruleZh}，请调整骑缝区间或骑缝规则`, en: `pages ${range} have no ${ruleEn.replace(/s$/, '')}; change the range or the rule` }
    : {
        code: 'RIDING_RULE_TOO_FEW_PAGES',
        selected,
        zh: `骑缝章至少跨两页：骑缝区间第 ${range} 页中只有 1 个${ruleZh}，请扩大骑缝区间或改用全部页`,
        en: `a cross-page seal spans at least two pages: pages ${range} have only one ${ruleEn.replace(/s$/, '')}; widen the range or use all pages`,
      };
}
