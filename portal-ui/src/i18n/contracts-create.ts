// Texts of 发起合同 (portal.contracts.create.*) and of the pdf.js page viewer (portal.pdf.*), zh-CN and English.

export const pdfZh = {
  loading: '正在加载 PDF…',
  rendering: '正在渲染第 %{page} 页…',
  error: 'PDF 无法显示：%{message}',
  page_label: '第 %{page} / %{pages} 页',
  palette_hint: '把签章拖到页面上的位置（点击则放在当前页中间）；拖动已放置的框可移动，方向键微调 1 pt（Shift：10 pt）。',
  none_placed: '尚未放置',
  position: '第 %{page} 页（%{x}, %{y}）',
  riding_position: '第 %{from}–%{to} 页右侧，距顶部 %{y}',
  riding_needs_pages: '骑缝章需要至少 2 页',
  page_from: '起始页',
  page_to: '结束页',
  remove: '删除',
};

export const pdfEn: typeof pdfZh = {
  loading: 'Loading the PDF…',
  rendering: 'Rendering page %{page}…',
  error: 'The PDF cannot be shown: %{message}',
  page_label: 'Page %{page} of %{pages}',
  palette_hint: 'Drag a mark onto its place on a page (a click puts it in the middle of the page in view); drag placed boxes to move them, arrow keys move 1 pt (Shift: 10 pt).',
  none_placed: 'Nothing placed yet',
  position: 'page %{page} (%{x}, %{y})',
  riding_position: 'right edge of pages %{from}–%{to}, %{y} from the top',
  riding_needs_pages: 'A riding seal needs at least 2 pages',
  page_from: 'From page',
  page_to: 'To page',
  remove: 'Remove',
};

export const contractsCreateZh = {
  title: '发起合同',
};

export const contractsCreateEn: typeof contractsCreateZh = {
  title: 'New contract',
};
