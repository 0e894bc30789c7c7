import { useState } from 'react';
import { Button } from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import { useNotify, useRefresh, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ReasonDialog } from '../../../ui-shared/src/components/ReasonDialog';
import type { AdminTemplateDetail } from './types';

/** 停用 / 启用 with a reason: POST /api/admin/templates/:id/disable|enable {reason, version}. */
export const TemplateStateButton = ({ template }: { template: AdminTemplateDetail }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const action = template.enabled ? 'disable' : 'enable';
  const t = (key: string) => translate(`adminTemplates.${key}`);

  const confirm = async (reason: string) => {
    await apiFetch(`/api/admin/templates/${encodeURIComponent(template.id)}/${action}`, { body: { reason, version: template.version } });
    setOpen(false);
    notify(t(action === 'disable' ? 'disabled_done' : 'enabled_done'), { type: 'success' });
    refresh();
  };

  return (
    <>
      <Button
        variant="outlined"
        color={action === 'disable' ? 'error' : 'success'}
        startIcon={action === 'disable' ? <BlockIcon /> : <CheckCircleIcon />}
        onClick={() => setOpen(true)}
        data-testid={`admin-template-${action}`}
      >
        {t(action)}
      </Button>
      <ReasonDialog
        open={open}
        title={t(`${action}_title`)}
        subject={`${template.name} · ${template.owner.name}`}
        reasonLabel={t('reason')}
        confirmLabel={t(action)}
        onClose={() => setOpen(false)}
        onConfirm={confirm}
        reasonTestId="admin-template-reason"
        confirmTestId="admin-template-confirm"
      />
    </>
  );
};
