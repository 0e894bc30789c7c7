/** Every kind of audit event, with its user-facing label. Add new actions here. */
export const AUDIT_ACTIONS = {
  'auth.login': { zh: '登录', en: 'Logged in' },
  'auth.login_failed': { zh: '登录失败', en: 'Login failed' },
  'auth.logout': { zh: '退出登录', en: 'Logged out' },
  'contract.created': { zh: '发起合同', en: 'Contract created' },
  'contract.viewed': { zh: '查看合同', en: 'Contract viewed' },
  'contract.sms_code_sent': { zh: '发送签署验证码', en: 'Signing code sent' },
  'contract.sms_code_failed': { zh: '签署验证码错误', en: 'Signing code rejected' },
  'contract.willingness_confirmed': { zh: '意愿认证通过', en: 'Intent to sign confirmed' },
  'contract.signed': { zh: '签署（盖章并数字签名）', en: 'Signed (seal and digital signature)' },
  'contract.completed': { zh: '签署完成', en: 'Contract completed' },
  'contract.expired': { zh: '过期作废', en: 'Voided: expired' },
  'contract.downloaded': { zh: '下载合同', en: 'Contract downloaded' },
  'certificate.issued': { zh: '签发证书', en: 'Certificate issued' },
  'document.verified': { zh: '文件验证', en: 'Document verified' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
