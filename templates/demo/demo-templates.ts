/**
 * Demo templates (issue 11): one Word template (the purchase contract .docx: Chinese text, a goods
 * table, amounts in figures and in capitals, marks by 关键字定位) and one Web template (the demo
 * contract PDF with three text fields drawn into boxes and the marks placed on the page), both
 * personal templates of the demo user 张三, published and enabled, so that a newcomer can start a
 * contract from each after `npm start`. The definitions are also the fixtures of
 * test/integration/template-generation.test.ts, which publishes them through the real generation
 * (LibreOffice, keyword search, text drawing) — that is what keeps them valid.
 */
import fs from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/core';
import type { PdfLimits } from '../../documents';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { createTemplate } from '../../domain/templates/create-template';
import { auditTemplate } from '../../domain/templates/template-audit';
import { checkDefinition, type TemplateDefinitionInput } from '../../domain/templates/template-definition';
import { DocumentTemplateSchema } from '../../domain/templates/template.entity';
import type { User } from '../../domain/identity/user.entity';

export const DEMO_WORD_TEMPLATE_NAME = '采购合同（Word 模板演示）';
export const DEMO_WEB_TEMPLATE_NAME = '设备采购合同（Web 模板演示）';
export const DEMO_WORD_DOCX = new URL('./purchase-contract.docx', import.meta.url);
export const DEMO_WEB_PDF = new URL('./demo-contract.pdf', import.meta.url);

const text = (key: string, label: string, required = true) => ({ key, label, type: 'text' as const, required });
const noPosition = { page: null, x: null, y: null, width: null, height: null, pageFrom: null, pageTo: null };
const noKeyword = { keyword: null, occurrence: null, offsetX: null, offsetY: null };

/** Word: every tag of purchase-contract.docx is a field; 甲方 and 乙方 sign where their keywords are. */
export const DEMO_WORD_DEFINITION: TemplateDefinitionInput = {
  fields: [
    text('合同编号', '合同编号'),
    text('甲方名称', '甲方名称'),
    text('乙方名称', '乙方名称'),
    { key: '签订日期', label: '签订日期', type: 'date', required: true },
    text('交货地点', '交货地点', false),
    text('货物名称', '货物名称'),
    text('规格型号', '规格型号', false),
    { key: '数量', label: '数量', type: 'number', required: true },
    { key: '单价', label: '单价（元）', type: 'amount', required: true },
    { key: '总金额', label: '总金额（元）', type: 'amount', required: true },
    { key: '总金额大写', label: '总金额（大写）', type: 'amount_capital', required: true, derivedFrom: '总金额' },
  ],
  roles: [
    {
      id: 'r1',
      name: '甲方',
      kind: 'person',
      step: 1,
      canRefuse: false,
      marks: [
        { kind: 'name_seal', sealType: null, ...noPosition, keyword: '甲方（盖章）：', occurrence: 'last', offsetX: 90, offsetY: -20 },
        { kind: 'date', sealType: null, ...noPosition, keyword: '甲方（盖章）：', occurrence: 'last', offsetX: 170, offsetY: -10 },
      ],
    },
    {
      id: 'r2',
      name: '乙方',
      kind: 'person',
      step: 2,
      canRefuse: true,
      marks: [{ kind: 'name_seal', sealType: null, ...noPosition, keyword: '乙方（签字）：', occurrence: 'last', offsetX: 90, offsetY: -20 }],
    },
  ],
};

const box = (y: number, x: number, width: number, height = 18) => ({ page: 1, x, y, width, height, fontSize: 11, align: 'left' as const });

/** Web: three fields in the free space under the demo contract's text, the marks above them. */
export const DEMO_WEB_DEFINITION: TemplateDefinitionInput = {
  fields: [
    { key: '签订地点', label: '签订地点', type: 'text', required: true, maxLength: 40, box: box(712, 56.8, 240) },
    { key: '签订日期', label: '签订日期', type: 'date', required: true, box: box(712, 320, 220) },
    { key: '补充约定', label: '补充约定', type: 'multiline', required: false, maxLength: 300, box: box(740, 56.8, 480, 60) },
  ],
  roles: [
    {
      id: 'r1',
      name: '甲方',
      kind: 'person',
      step: 1,
      canRefuse: false,
      marks: [
        { kind: 'name_seal', sealType: null, ...noKeyword, ...noPosition, page: 1, x: 130, y: 565 },
        { kind: 'date', sealType: null, ...noKeyword, ...noPosition, page: 1, x: 130, y: 650 },
      ],
    },
    { id: 'r2', name: '乙方', kind: 'person', step: 2, canRefuse: true, marks: [{ kind: 'name_seal', sealType: null, ...noKeyword, ...noPosition, page: 1, x: 380, y: 565 }] },
  ],
};

/** Sample values a newcomer can type into the Word template's form (also used by the tests). */
export const DEMO_WORD_VALUES = {
  合同编号: 'CG-2026-0001',
  甲方名称: '星河科技有限公司',
  乙方名称: '远航设备制造有限公司',
  签订日期: '2026-12-02',
  交货地点: '上海市浦东新区张江路 88 号',
  货物名称: '激光打印机',
  规格型号: 'LP-3000 A4 黑白',
  数量: '10',
  单价: '2345.6',
  总金额: '23456',
};

export const DEMO_WEB_VALUES = { 签订地点: '上海市黄浦区', 签订日期: '2026-12-02', 补充约定: '设备到货后三日内完成安装。\n培训两次。' };

export interface DemoTemplateDeps {
  em: EntityManager;
  store: DocumentStore;
  limits: PdfLimits;
}

/**
 * Creates the two demo templates for `owner` (personal), with their definitions, published and
 * enabled. Idempotent by name. The seed runs before the worker, so publishing here does not generate
 * a sample document: the definitions are checked (checkDefinition, complete) and proven by the tests.
 */
export async function seedDemoTemplates(deps: DemoTemplateDeps, owner: Pick<User, 'id' | 'name'>): Promise<string[]> {
  const created: string[] = [];
  const actor = { id: owner.id, name: owner.name, ip: null, acting: null };
  const demos = [
    { kind: 'word' as const, name: DEMO_WORD_TEMPLATE_NAME, file: DEMO_WORD_DOCX, definition: DEMO_WORD_DEFINITION, businessType: '采购', scenario: '货物采购（Word 模板，关键字定位）' },
    { kind: 'web' as const, name: DEMO_WEB_TEMPLATE_NAME, file: DEMO_WEB_PDF, definition: DEMO_WEB_DEFINITION, businessType: '采购', scenario: '设备采购（Web 模板，拖拽字段）' },
  ];
  for (const demo of demos) {
    if (await deps.em.fork().findOne(DocumentTemplateSchema, { ownerType: 'user', ownerId: owner.id, name: demo.name })) continue;
    const em = deps.em.fork();
    const bytes = new Uint8Array(await fs.readFile(demo.file));
    const { template } = await createTemplate({ em, store: deps.store, limits: deps.limits }, actor, { kind: demo.kind, name: demo.name, businessType: demo.businessType, scenario: demo.scenario }, bytes);
    const now = new Date();
    template.definition = checkDefinition(template.kind, demo.definition, { tags: template.tags, pages: template.sourcePages, complete: true });
    template.status = 'published';
    template.publishedAt = now;
    template.updatedAt = now;
    auditTemplate(em, actor, template, 'template.published', { seeded: true }, now);
    await em.flush();
    created.push(`template ${demo.name}`);
  }
  return created;
}
