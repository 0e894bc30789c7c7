import { useMemo, useState } from 'react';
import { Box } from '@mui/material';
import { ListButton, Show, TopToolbar, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { ContractView } from '../types';
import { ContractTrail } from './ContractTrail';
import { ContractHeader } from './ContractHeader';
import { DocumentPreview } from './DocumentPreview';
import { FreePlacementContext, FreePlacementPanel } from './FreePlacement';
import { ParticipantsByStep } from './ParticipantsByStep';

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
  // Placement mode (签署 by a free-placement participant): the participant being placed for.
  const [placingFor, setPlacingFor] = useState<string | null>(null);
  const placement = useMemo(() => ({ start: (participantId: string) => setPlacingFor(participantId) }), []);
  if (!record) return null;
  const version = contractVersion(record);
  // Only while the viewer may still sign for that participant (the view may have moved on).
  const placing =
    record.me.canSign && placingFor !== null && record.me.actFor === placingFor
      ? record.participants.find((p) => p.id === placingFor && p.placement === 'free')
      : undefined;
  return (
    <FreePlacementContext.Provider value={placement}>
      <Box data-testid="contract-show" data-contract-id={record.id} data-status={record.status} sx={{ mt: 1 }}>
        <ContractHeader contract={record} />
        {placing ? (
          <Box sx={{ mt: 2 }}>
            <FreePlacementPanel
              contract={record}
              participant={placing}
              version={version}
              onCancel={() => setPlacingFor(null)}
              onSigned={() => {
                setPlacingFor(null);
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
              <DocumentPreview contract={record} version={version} />
            </Box>
            <Box sx={{ gridArea: 'trail', minWidth: 0 }}>
              <ContractTrail contractId={record.id} version={version} />
            </Box>
          </Box>
        )}
      </Box>
    </FreePlacementContext.Provider>
  );
};

/** 合同详情: header with actions, participants by step + CC, 签署轨迹, the document with its marks. */
export const ContractShow = () => (
  <Show
    title={<ContractTitle />}
    actions={<ShowActions />}
    component="div"
    queryOptions={{ refetchOnWindowFocus: true }}
    sx={{ '& .RaShow-card': { minWidth: 0 } }}
  >
    <ContractDetail />
  </Show>
);
