// Texts of 发起合同 (portal.contracts.create.*) and of the pdf.js page viewer (portal.pdf.*), zh-CN and English.

export const pdfZh = {
  loading: '正在加载 PDF…',
  rendering: '正在渲染第 %{page} 页…',
  error: 'PDF 无法显示：%{message}',
  page_label: '第 %{page} / %{pages} 页',
};

export const pdfEn: typeof pdfZh = {
  loading: 'Loading the PDF…',
  rendering: 'Rendering page %{page}…',
  error: 'The PDF cannot be shown: %{message}',
  page_label: 'Page %{page} of %{pages}',
};

export const contractsCreateZh = {
  title: '发起合同',
};

export const contractsCreateEn: typeof contractsCreateZh = {
  title: 'New contract',
};
