/**
 * 骑缝规则: which pages of a 骑缝章's range pageFrom..pageTo carry a strip. 'all' 全部页 (every page),
 * 'odd' 奇数页 / 'even' 偶数页 (the odd- / even-numbered pages of the document within the range: the
 * fronts or the backs of sheets printed on both sides). No imports: the portal bundles it
 * (domain/contracts/riding-rule.ts holds the rule's checks and words).
 */
export const RIDING_RULES = ['all', 'odd', 'even'] as const;
export type RidingRule = (typeof RIDING_RULES)[number];

export const isRidingRule = (v: unknown): v is RidingRule => typeof v === 'string' && (RIDING_RULES as readonly string[]).includes(v);

/** The pages of pageFrom..pageTo the rule selects, ascending (1-based page numbers); an unknown rule selects none. */
export function ridingPages(pageFrom: number, pageTo: number, rule: RidingRule = 'all'): number[] {
  if (!isRidingRule(rule) || !Number.isInteger(pageFrom) || !Number.isInteger(pageTo)) return [];
  const pages: number[] = [];
  for (let page = pageFrom; page <= pageTo; page++) {
    if (rule === 'all' || (rule === 'odd') === (page % 2 === 1)) pages.push(page);
  }
  return pages;
}
