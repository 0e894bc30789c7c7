import { useState } from 'react';
import { Button, Stack } from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import DownloadIcon from '@mui/icons-material/Download';
import DrawIcon from '@mui/icons-material/Draw';
import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import UndoIcon from '@mui/icons-material/Undo';
import { useNotify, useRefresh, useTranslate } from 'react-admin';
import { apiFetch } from '../../../../ui-shared/src/api/apiFetch';
import { ReasonDialog } from '../../../../ui-shared/src/components/ReasonDialog';
import type { ContractView } from '../types';
import { contractUrls } from './contractUrls';
import { useSigningMode } from './SigningMode';
import { SignDialog } from './SignDialog';
import { UrgeDialog } from './UrgeDialog';

type Open = 'sign' | 'refuse' | 'revoke' | 'urge' | null;

/** 签署 (via the contract page's signing mode) / 拒签 / 撤销 / 催办 as `me` allows, and 下载. Each action answers the new view; the page refetches it. */
export const ContractActions = ({ contract }: { contract: ContractView }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState<Open>(null);
  const signingMode = useSigningMode();
  const t = (key: string, opts?: object) => translate(`portal.contracts.show.${key}`, opts);
  const { me } = contract;
  const actingFor = contract.participants.find((p) => p.id === me.actFor) ?? null;
  /** The contract page signs: free placement places the marks first, preset shows them stamped (一键盖章); then the SMS step. */
  const startSigning = () => {
    if (actingFor && signingMode) signingMode.start(actingFor.id);
    else setOpen('sign');
  };
  const done = (messageKey: string) => {
    setOpen(null);
    notify(t(messageKey), { type: 'success' });
    refresh(); // the view, the trail and the boxes' counts
  };

  return (
    <>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1, flexShrink: 0 }} data-testid="contract-actions">
        {me.canSign && actingFor && (
          <Button variant="contained" startIcon={<DrawIcon />} onClick={startSigning} data-testid="sign-button">
            {t('sign')}
          </Button>
        )}
        {me.canRefuse && actingFor && (
          <Button variant="outlined" color="error" startIcon={<BlockIcon />} onClick={() => setOpen('refuse')} data-testid="refuse-button">
            {t('refuse')}
          </Button>
        )}
        {me.canRevoke && (
          <Button variant="outlined" color="warning" startIcon={<UndoIcon />} onClick={() => setOpen('revoke')} data-testid="revoke-button">
            {t('revoke')}
          </Button>
        )}
        {me.canUrge && (
          <Button variant="outlined" startIcon={<NotificationsActiveIcon />} onClick={() => setOpen('urge')} data-testid="urge-button">
            {t('urge')}
          </Button>
        )}
        <Button variant="outlined" startIcon={<DownloadIcon />} href={contractUrls.download(contract.id)} data-testid="download-link">
          {t('download')}
        </Button>
      </Stack>
      {open === 'sign' && actingFor && (
        <SignDialog
          contract={contract}
          participant={actingFor}
          onClose={() => setOpen(null)}
          onSigned={() => {
            setOpen(null);
            refresh();
          }}
        />
      )}
      <ReasonDialog
        open={open === 'refuse'}
        title={t('refuse_title')}
        subject={actingFor && actingFor.kind !== 'person' ? t('refuse_subject_for', { title: contract.title, name: actingFor.name }) : t('refuse_subject', { title: contract.title })}
        reasonLabel={t('refuse_reason')}
        confirmLabel={t('refuse_confirm')}
        onClose={() => setOpen(null)}
        onConfirm={async (reason) => {
          await apiFetch(contractUrls.refuse(contract.id), { method: 'POST', body: { participantId: me.actFor ?? undefined, reason } });
          done('refused');
        }}
      />
      <ReasonDialog
        open={open === 'revoke'}
        title={t('revoke_title')}
        subject={t('revoke_subject', { title: contract.title })}
        reasonLabel={t('revoke_reason')}
        confirmLabel={t('revoke_confirm')}
        onClose={() => setOpen(null)}
        onConfirm={async (reason) => {
          await apiFetch(contractUrls.revoke(contract.id), { method: 'POST', body: { reason } });
          done('revoked');
        }}
      />
      {open === 'urge' && <UrgeDialog contract={contract} onClose={() => setOpen(null)} onUrged={() => refresh()} />}
    </>
  );
};
