// pdf.js page rendering and mark placement (发起合同, the contract page, free placement at signing time).
export { PdfPages, pageElementAt, type PdfPageInfo } from './PdfPages';
export { PlacementEditor, type PlacementEditorProps } from './PlacementEditor';
export { usePdfDocument, type PdfDocumentState } from './usePdfDocument';
export { openPdf, loadPdfjs, type PdfSource } from './pdfjs';
export * from './geometry';
export * from './placement';
