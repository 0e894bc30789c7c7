import type { TemplateDefinition, TemplateView } from './types';

/** 模板信息 as the editor holds it (empty strings for the optional ones). */
export interface TemplateInfo {
  name: string;
  businessType: string;
  scenario: string;
}

export const infoOf = (v: TemplateView): TemplateInfo => ({ name: v.name, businessType: v.businessType ?? '', scenario: v.scenario ?? '' });

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * 重新加载 after a version conflict (someone saved the template after this page read `base`): the editor moves to
 * `latest` and keeps what was edited on the page. Each 模板信息 field and the definition (fields with roles and
 * marks) that was changed here keeps the edit; what was not changed here shows the other change. `dirty`: something
 * of the page still differs from `latest` (then the next 保存 sends latest's version and overwrites deliberately).
 */
export function reloadKeepingEdits(base: TemplateView, latest: TemplateView, info: TemplateInfo, definition: TemplateDefinition): { info: TemplateInfo; definition: TemplateDefinition; dirty: boolean } {
  const before = infoOf(base);
  const now = infoOf(latest);
  const keys = Object.keys(now) as (keyof TemplateInfo)[];
  const nextInfo = Object.fromEntries(keys.map((k) => [k, info[k] !== before[k] ? info[k] : now[k]])) as unknown as TemplateInfo;
  const nextDefinition = same(definition, base.definition) ? latest.definition : definition;
  return { info: nextInfo, definition: nextDefinition, dirty: !same(nextInfo, now) || !same(nextDefinition, latest.definition) };
}
