/** How personal numbers are shown to people who should not see them whole. */
export const maskMobile = (mobile: string) => mobile.replace(/^(\d{3})\d{4}(\d+)$/, '$1****$2');

export const maskIdNumber = (id: string) => `${id.slice(0, 3)}***********${id.slice(-4)}`;
