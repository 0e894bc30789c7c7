// Audit actions offered in the 操作 filter. Rows always show the API's own label, so an action
// missing here still displays correctly; it just cannot be picked in the filter.
export const AUDIT_ACTION_CHOICES: Array<{ id: string; zh: string; en: string }> = [
  { id: 'auth.login', zh: '登录', en: 'Logged in' },
  { id: 'auth.login_failed', zh: '登录失败', en: 'Login failed' },
  { id: 'auth.logout', zh: '退出登录', en: 'Logged out' },
  { id: 'contract.created', zh: '发起合同', en: 'Contract created' },
  { id: 'contract.viewed', zh: '查看合同', en: 'Contract viewed' },
  { id: 'contract.sms_code_sent', zh: '发送签署验证码', en: 'Signing code sent' },
  { id: 'contract.sms_code_failed', zh: '签署验证码错误', en: 'Signing code rejected' },
  { id: 'contract.willingness_confirmed', zh: '意愿认证通过', en: 'Intent to sign confirmed' },
  { id: 'contract.signed', zh: '签署', en: 'Signed' },
  { id: 'contract.completed', zh: '签署完成', en: 'Contract completed' },
  { id: 'contract.expired', zh: '过期作废', en: 'Voided: expired' },
  { id: 'contract.downloaded', zh: '下载合同', en: 'Contract downloaded' },
  { id: 'certificate.issued', zh: '签发证书', en: 'Certificate issued' },
  { id: 'document.verified', zh: '文件验证', en: 'Document verified' },
];
