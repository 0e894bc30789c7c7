import { useState, type MouseEvent } from 'react';
import { Button } from '@mui/material';
import PersonRemoveIcon from '@mui/icons-material/PersonRemove';
import { useNotify, useRedirect, useRefresh, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ConfirmDialog } from '../../../ui-shared/src/components/ConfirmDialog';
import type { Member } from './types';

/** 移除 (管理员 only) with a confirmation; DELETE /api/console/members/:id. */
export const RemoveMemberButton = ({ member, redirectToList }: { member: Member; redirectToList?: boolean }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const redirect = useRedirect();
  const [open, setOpen] = useState(false);

  const remove = async () => {
    await apiFetch(`/api/console/members/${encodeURIComponent(member.id)}`, { method: 'DELETE' });
    setOpen(false);
    notify(translate('admin.members.removed', { name: member.name }), { type: 'info' });
    if (redirectToList) redirect('list', 'members');
    else refresh();
  };

  return (
    <>
      <Button
        size="small"
        color="error"
        startIcon={<PersonRemoveIcon />}
        onClick={(e: MouseEvent) => {
          e.stopPropagation();
          setOpen(true);
        }}
        data-testid="member-remove"
      >
        {translate('admin.members.remove')}
      </Button>
      <span onClick={(e) => e.stopPropagation()}>
        <ConfirmDialog
          open={open}
          title={translate('admin.members.remove_title')}
          content={translate('admin.members.remove_content', { name: member.name })}
          confirmLabel={translate('admin.members.remove')}
          confirmTestId="member-remove-confirm"
          danger
          onClose={() => setOpen(false)}
          onConfirm={remove}
        />
      </span>
    </>
  );
};
