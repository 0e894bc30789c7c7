/**
 * Builds templates/demo/purchase-contract.docx: the demo Word template (a Chinese purchase contract) and the
 * fixture of the Word engine's tests. Plain OOXML written by hand (no Word needed), zipped with pizzip with a
 * fixed date so the output is byte-for-byte reproducible.
 *
 *   npx tsx templates/demo/build-purchase-docx.ts        # rewrites purchase-contract.docx beside this file
 *
 * Tags (docxtemplater, one run each): {合同编号} {甲方名称} {乙方名称} {签订日期} {交货地点}, the goods table
 * {货物名称} {规格型号} {数量} {单价} {总金额} and 合计（大写）：{总金额大写}. The signing keywords
 * 甲方（盖章）： and 乙方（签字）： appear once each, at the end.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import PizZip from 'pizzip';

export const PURCHASE_TEMPLATE_TAGS = ['合同编号', '甲方名称', '乙方名称', '签订日期', '交货地点', '货物名称', '规格型号', '数量', '单价', '总金额', '总金额大写'] as const;
export const PURCHASE_TEMPLATE_KEYWORDS = ['甲方（盖章）：', '乙方（签字）：'] as const;

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const FIXED_DATE = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface RunStyle { bold?: boolean; size?: number; font?: string }
function run(text: string, style: RunStyle = {}): string {
  const props = [
    style.font ? `<w:rFonts w:ascii="${style.font}" w:hAnsi="${style.font}" w:eastAsia="${style.font}"/>` : '',
    style.bold ? '<w:b/>' : '',
    style.size ? `<w:sz w:val="${style.size * 2}"/><w:szCs w:val="${style.size * 2}"/>` : '',
  ].join('');
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;
}

interface ParaStyle { align?: 'left' | 'center' | 'right'; spaceAfter?: number; indentFirst?: boolean; keepNext?: boolean }
function para(runs: string, style: ParaStyle = {}): string {
  const props = [
    style.keepNext ? '<w:keepNext/>' : '',
    `<w:spacing w:after="${style.spaceAfter ?? 120}" w:line="360" w:lineRule="auto"/>`,
    style.indentFirst ? '<w:ind w:firstLineChars="200" w:firstLine="480"/>' : '',
    style.align ? `<w:jc w:val="${style.align === 'left' ? 'both' : style.align}"/>` : '',
  ].join('');
  return `<w:p><w:pPr>${props}</w:pPr>${runs}</w:p>`;
}

const labelled = (label: string, tag: string) => para(run(label) + run(`{${tag}}`));
const heading = (text: string) => para(run(text, { bold: true, font: '黑体' }), { spaceAfter: 60, keepNext: true });
const clause = (text: string) => para(run(text), { indentFirst: true });

const COLUMNS = [
  { title: '货物名称', tag: '货物名称', width: 2200 },
  { title: '规格型号', tag: '规格型号', width: 2000 },
  { title: '数量', tag: '数量', width: 1200 },
  { title: '单价（元）', tag: '单价', width: 1700 },
  { title: '总金额（元）', tag: '总金额', width: 1900 },
];
const TABLE_WIDTH = COLUMNS.reduce((s, c) => s + c.width, 0);

function cell(content: string, width: number, extra = ''): string {
  return `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${extra}<w:vAlign w:val="center"/></w:tcPr>${content}</w:tc>`;
}
const cellPara = (runs: string) => `<w:p><w:pPr><w:spacing w:before="60" w:after="60"/><w:jc w:val="center"/></w:pPr>${runs}</w:p>`;

function goodsTable(): string {
  const border = (side: string) => `<w:${side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>`;
  const borders = `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>`;
  const grid = `<w:tblGrid>${COLUMNS.map((c) => `<w:gridCol w:w="${c.width}"/>`).join('')}</w:tblGrid>`;
  const header = `<w:tr>${COLUMNS.map((c) => cell(cellPara(run(c.title, { bold: true })), c.width)).join('')}</w:tr>`;
  const row = `<w:tr>${COLUMNS.map((c) => cell(cellPara(run(`{${c.tag}}`)), c.width)).join('')}</w:tr>`;
  const total = `<w:tr>${cell(`<w:p><w:pPr><w:spacing w:before="60" w:after="60"/></w:pPr>${run('合计（大写）：', { bold: true })}${run('{总金额大写}')}</w:p>`, TABLE_WIDTH, `<w:gridSpan w:val="${COLUMNS.length}"/>`)}</w:tr>`;
  return `<w:tbl><w:tblPr><w:tblW w:w="${TABLE_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>${borders}<w:tblLayout w:type="fixed"/></w:tblPr>${grid}${header}${row}${total}</w:tbl>`;
}

function documentXml(): string {
  const body = [
    para(run('采购合同', { bold: true, size: 22, font: '黑体' }), { align: 'center', spaceAfter: 240 }),
    para(run('合同编号：') + run('{合同编号}'), { align: 'right' }),
    labelled('甲方（采购方）：', '甲方名称'),
    labelled('乙方（供货方）：', '乙方名称'),
    labelled('签订日期：', '签订日期'),
    clause('根据《中华人民共和国民法典》及相关法律法规的规定，甲乙双方本着平等自愿、诚实信用的原则，经友好协商，就甲方向乙方采购下列货物事宜达成如下协议，以资共同遵守。'),
    heading('一、货物名称、规格、数量及价款'),
    goodsTable(),
    clause('上述价款为含税价，已包含货物本身、包装、运输、装卸、保险、安装调试及技术培训等全部费用。'),
    heading('二、交货时间及地点'),
    para(run('交货地点：') + run('{交货地点}'), { indentFirst: true }),
    clause('乙方应于本合同生效之日起三十日内将全部货物运抵上述交货地点，并通知甲方验收。货物毁损、灭失的风险自甲方签收之日起转移至甲方。'),
    heading('三、质量标准与验收'),
    clause('乙方提供的货物应为全新、未使用过的合格产品，符合国家标准、行业标准及双方约定的技术要求，并随货提供产品合格证、使用说明书及保修卡。甲方应在货物到达后七个工作日内组织验收；验收不合格的，乙方应在接到通知后十日内负责更换，由此产生的费用由乙方承担。'),
    heading('四、付款方式'),
    clause('货物验收合格后，乙方向甲方开具合法有效的增值税专用发票，甲方在收到发票之日起十五个工作日内以银行转账方式支付全部合同价款。'),
    heading('五、质量保证'),
    clause('货物的质量保证期为验收合格之日起十二个月。质保期内因货物本身质量问题出现故障的，乙方应在接到通知后四十八小时内响应，并免费维修或更换。'),
    heading('六、违约责任'),
    clause('乙方逾期交货的，每逾期一日，应按合同总金额的千分之五向甲方支付违约金；逾期超过三十日的，甲方有权解除合同。甲方逾期付款的，每逾期一日，应按应付未付金额的千分之五向乙方支付违约金。'),
    heading('七、争议解决'),
    clause('因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，任何一方均可向甲方所在地有管辖权的人民法院提起诉讼。'),
    heading('八、其他'),
    clause('本合同自双方签署之日起生效。本合同以电子合同形式签署，双方的电子签名与手写签名或者盖章具有同等法律效力。本合同未尽事宜，由双方另行签订补充协议，补充协议与本合同具有同等法律效力。'),
    para('', { spaceAfter: 240 }),
    para(run('甲方（盖章）：'), { spaceAfter: 600 }),
    para(run('乙方（签字）：'), { spaceAfter: 600 }),
  ].join('');
  const section = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W_NS}"><w:body>${body}${section}</w:body></w:document>`;
}

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="${W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style></w:styles>`;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;

const DOCUMENT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

const CORE = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>采购合同（模板）</dc:title><dc:creator>SealFlow</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created></cp:coreProperties>`;

/** The .docx bytes of the demo purchase contract template. */
export function buildPurchaseContractDocx(): Buffer {
  const zip = new PizZip();
  const add = (name: string, text: string) => zip.file(name, text, { date: FIXED_DATE, createFolders: false });
  add('[Content_Types].xml', CONTENT_TYPES);
  add('_rels/.rels', ROOT_RELS);
  add('docProps/core.xml', CORE);
  add('word/document.xml', documentXml());
  add('word/styles.xml', STYLES);
  add('word/_rels/document.xml.rels', DOCUMENT_RELS);
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export const PURCHASE_CONTRACT_DOCX = new URL('./purchase-contract.docx', import.meta.url);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  fs.writeFileSync(PURCHASE_CONTRACT_DOCX, buildPurchaseContractDocx());
  console.log(`wrote ${fileURLToPath(PURCHASE_CONTRACT_DOCX)}`);
}
