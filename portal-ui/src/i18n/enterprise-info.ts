// 我认证的企业: the enterprise's standing and the way to its re-certification (enterpriseInfo.*).

export const enterpriseInfoZh = {
  standing: { normal: '正常', recertifying: '待重新认证' },
  change_status: {
    drafting: '名称变更草稿',
    awaiting_submission: '待提交重新认证',
    under_review: '重新认证审核中',
    rejected: '重新认证已驳回',
  },
  new_name: '新名称：%{name}',
  restart: '开始重新认证',
  go: '前往办理',
  go_hint: '将切换至该企业身份并打开企业控制台「信息管理」',
};

export const enterpriseInfoEn: typeof enterpriseInfoZh = {
  standing: { normal: 'Normal', recertifying: 'Re-certification pending' },
  change_status: {
    drafting: 'Name change draft',
    awaiting_submission: 'Re-certification to submit',
    under_review: 'Re-certification under review',
    rejected: 'Re-certification rejected',
  },
  new_name: 'New name: %{name}',
  restart: 'Start re-certification',
  go: 'Open',
  go_hint: 'Switches to this enterprise and opens Enterprise information in the console',
};
