import { useMemo, useState } from 'react';
import { Box } from '@mui/material';
import { ListButton, Show, TopToolbar, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import type { ContractView } from '../types';
import { ContractTrail } from './ContractTrail';
import { ContractHeader } from './ContractHeader';
import { DocumentPreview } from './DocumentPreview';
import { FreePlacementPanel } from './FreePlacement';
import { ParticipantsByStep } from './ParticipantsByStep';
import { presetMarkImage, presetMarkText } from './presetStamp';
import { SignDialog } from './SignDialog';
import { SigningModeContext } from './SigningMode';
import { ShowLoadError, useKeepPageOnError } from '../../../../ui-shared/src/components/ShowErrors';
import { signOptionsUrl, type SignOptions } from './signOptions';

const ShowActions = () => <TopToolbar><ListButton /></TopToolbar>;

const ContractTitle = () => {
  const record = useRecordContext<ContractView>();
  const translate = useTranslate();
  return <>{record ? record.title : translate('portal.contracts.show.title')}</>;
};

/** A version key that changes whenever the contract moves on (refreshes preview and trail). */
export const contractVersion = (c: ContractView) =>
  `${c.status}:${c.documentVersion ?? ''}:${c.participants.map((p) => `${p.id}=${p.status}:${p.lastUrgedAt ?? ''}`).join(',')}`;

const ContractDetail = () => {
  const record = useRecordContext<ContractView>();
  const refresh = useRefresh();
  const translate = useTranslate();
  // Signing mode: the participant being signed for (free placement: the placement panel; preset: 一键盖章 + SMS step).
  const [signingFor, setSigningFor] = useState<string | null>(null);
  const mode = useMemo(() => ({ start: (participantId: string) => setSigningFor(participantId) }), []);
  // Only while the viewer may still sign for that participant (the view may have moved on).
  const acting = record?.me.canSign && record.me.actFor ? record.participants.find((p) => p.id === record.me.actFor) : undefined;
  const presetActing = acting?.placement === 'preset' ? acting : undefined;
  const signOptions = useApiGet<SignOptions>(record && presetActing ? signOptionsUrl(String(record.id), presetActing.id) : null, record?.documentVersion);
  if (!record) return <ShowLoadError />;
  const version = contractVersion(record);
  const signing = acting && signingFor === acting.id ? acting : undefined;
  const placing = signing?.placement === 'free' ? signing : undefined;
  const stamping = signing?.placement === 'preset' ? signing : undefined;
  const own = presetActing
    ? {
        participantId: presetActing.id,
        stamped: !!stamping,
        imageOf: presetMarkImage(signOptions.data, presetActing),
        textOf: presetMarkText(presetActing, translate),
        onOneClickStamp: () => setSigningFor(presetActing.id),
      }
    : null;
  return (
    <SigningModeContext.Provider value={mode}>
      <Box data-testid="contract-show" data-contract-id={record.id} data-status={record.status} sx={{ mt: 1 }}>
        <ContractHeader contract={record} />
        {placing ? (
          <Box sx={{ mt: 2 }}>
            <FreePlacementPanel
              contract={record}
              participant={placing}
              version={version}
              onCancel={() => setSigningFor(null)}
              onSigned={() => {
                setSigningFor(null);
                refresh();
              }}
            />
          </Box>
        ) : (
          /* Wide: parties and trail on the left, the document on the right; narrow: parties, document, trail. */
          <Box
            sx={{
              mt: 2,
              display: 'grid',
              gap: 2,
              gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 5fr) minmax(0, 7fr)' },
              gridTemplateAreas: { xs: '"parties" "document" "trail"', lg: '"parties document" "trail document"' },
              gridTemplateRows: { lg: 'auto 1fr' },
              alignItems: 'start',
            }}
          >
            <Box sx={{ gridArea: 'parties', minWidth: 0 }}>
              <ParticipantsByStep contract={record} />
            </Box>
            <Box sx={{ gridArea: 'document', minWidth: 0 }}>
              <DocumentPreview contract={record} version={version} own={own} />
            </Box>
            <Box sx={{ gridArea: 'trail', minWidth: 0 }}>
              <ContractTrail contractId={record.id} version={version} />
            </Box>
          </Box>
        )}
        {stamping && (
          <SignDialog
            contract={record}
            participant={stamping}
            onClose={() => setSigningFor(null)}
            onSigned={() => {
              setSigningFor(null);
              refresh();
            }}
          />
        )}
      </Box>
    </SigningModeContext.Provider>
  );
};

/**
 * 合同详情: header with actions, participants by step + CC, 签署轨迹, the document with its marks. Read again when
 * the window regains focus; a failed read (other than 404) keeps the page and what is being done on it
 * (useKeepPageOnError): marks being placed, the signing dialog with its code.
 */
export const ContractShow = () => {
  const onError = useKeepPageOnError();
  return (
    <Show
      title={<ContractTitle />}
      actions={<ShowActions />}
      component="div"
      queryOptions={{ refetchOnWindowFocus: true, onError }}
      sx={{ '& .RaShow-card': { minWidth: 0 } }}
    >
      <ContractDetail />
    </Show>
  );
};
