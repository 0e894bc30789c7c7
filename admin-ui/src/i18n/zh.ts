// Admin console texts, zh-CN (the English file has the same shape).

export const adminZh = {
  admin: {
    app_name: 'SealFlow 管理后台',
    menu: { platform: '平台运营' },
    contracts: {
      search: '搜索合同名称',
      temporal: 'Temporal',
      open_temporal: '在 Temporal 中查看流程',
      workflow_id: '流程 ID',
      id: '合同 ID',
      all_statuses: '全部状态',
      detail: '合同详情',
    },
    sms: {
      search_mobile: '按手机号筛选',
      purpose_values: { contract_sign: '签署验证码', login: '登录验证码', notify: '通知', reminder: '催办提醒' },
    },
    audit: {
      all_actions: '全部操作',
      target_id: '对象 ID',
      target_types: { contract: '合同', user: '用户', document: '文件', certificate: '证书' },
      view_for_contract: '审计日志',
    },
  },
  resources: {
    contracts: {
      name: '合同',
      fields: { title: '合同名称', status: '状态', q: '搜索' },
    },
    'sms-outbox': {
      name: '短信发件箱',
      fields: { mobile: '手机号', purpose: '用途', content: '内容', createdAt: '时间' },
    },
    'audit-events': {
      name: '审计日志',
      fields: { at: '时间', actorName: '操作人', actionLabel: '操作', target: '对象', ip: 'IP', detail: '详情' },
    },
  },
};
