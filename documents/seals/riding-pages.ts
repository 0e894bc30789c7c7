/**
 * 骑缝规则: which pages of a 骑缝章's range pageFrom..pageTo carry a strip. 'all' 全部页 (every page),
 * 'odd' 奇数页 / 'even' 偶数页 (the odd- / even-numbered pages of the document within the range: the
 * fronts or the backs of sheets printed on both sides). No imports: the portal bundles it
 * (domain/contracts/riding-rule.ts holds the rule's checks and words).
 */
export const RIDING_RULES = ['all', 'odd', 'even'] as const;
export type RidingRule = (typeof RIDING_RULES)[number];

export const isRidingRule = (v: unknown): v is RidingRule => typeof v === 'string' && (RIDING_RULES as readonly string[]).includes(v);

/** Above any document's page count: a longer range selects nothing (its pages cannot exist), without listing them. */
export const MAX_RIDING_RANGE = 10_000;

/** How many pages of pageFrom..pageTo the rule selects, computed (no list): safe on any integers a request may hold. */
export function ridingPageCount(pageFrom: number, pageTo: number, rule: RidingRule = 'all'): number {
  if (!isRidingRule(rule) || !Number.isSafeInteger(pageFrom) || !Number.isSafeInteger(pageTo) || pageTo < pageFrom) return 0;
  if (rule === 'all') return pageTo - pageFrom + 1;
  const upTo = (n: number) => (rule === 'odd' ? Math.floor((n + 1) / 2) : Math.floor(n / 2)); // selected pages in 1..n (n ≥ 0)
  return upTo(pageTo) - upTo(Math.max(0, pageFrom - 1));
}

/**
 * The pages of pageFrom..pageTo the rule selects, ascending (1-based page numbers); an unknown rule, or a range
 * longer than MAX_RIDING_RANGE, selects none (callers check the pages exist first; this keeps a hostile range
 * from being listed).
 */
export function ridingPages(pageFrom: number, pageTo: number, rule: RidingRule = 'all'): number[] {
  if (!isRidingRule(rule) || !Number.isInteger(pageFrom) || !Number.isInteger(pageTo) || pageTo - pageFrom >= MAX_RIDING_RANGE) return [];
  const pages: number[] = [];
  for (let page = pageFrom; page <= pageTo; page++) {
    if (rule === 'all' || (rule === 'odd') === (page % 2 === 1)) pages.push(page);
  }
  return pages;
}
