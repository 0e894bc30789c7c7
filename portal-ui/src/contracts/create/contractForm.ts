// Upload rule shared by the pages that take a PDF (发起合同, 文件验证).

export const isPdf = (file: File) => file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
