import { Chip } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { AdminTemplate } from './types';

/** 草稿 / 已发布 and 已启用 / 已停用 of the record's template. */
export const TemplateStateChips = ({ size = 'small' }: { size?: 'small' | 'medium' }) => {
  const r = useRecordContext<AdminTemplate>();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <>
      <Chip
        size={size}
        color={r.status === 'published' ? 'success' : 'default'}
        variant={r.status === 'published' ? 'filled' : 'outlined'}
        label={translate(`adminTemplates.status.${r.status}`)}
        data-testid="admin-template-status"
        data-status={r.status}
        sx={{ mr: 0.5 }}
      />
      {!r.enabled && <Chip size={size} color="error" variant="outlined" label={translate(r.disabledByPlatform ? 'adminTemplates.state.disabled_by_platform' : 'adminTemplates.state.disabled')} data-testid="admin-template-disabled" data-by-platform={String(r.disabledByPlatform)} />}
    </>
  );
};

/** The owner's name with 个人 / 企业. */
export const TemplateOwner = () => {
  const r = useRecordContext<AdminTemplate>();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <>
      {r.owner.name || '—'}
      <br />
      <small style={{ opacity: 0.7 }}>{translate(`adminTemplates.owner_type.${r.owner.type}`)}</small>
    </>
  );
};
