import { Box, Checkbox, Link, Stack, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatDateTime } from '../../../../ui-shared/src/format';
import { ContractStateChip } from '../shared/ContractStateChip';
import { contractShowPath, initiatorText } from './ContractListTable';
import type { ContractListEntry } from './listApi';

/** One page of a box on a phone: a compact block per contract (same test hooks as the table rows). */
export const ContractListCards = ({
  items,
  selected,
  onToggle,
}: {
  items: ContractListEntry[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string) => translate(`portal.contracts.list.${key}`);
  return (
    <Box data-testid="contract-table" sx={{ borderTop: 1, borderColor: 'divider' }}>
      {items.map((row) => (
        <Stack
          key={row.id}
          direction="row"
          spacing={0.5}
          data-testid="contract-row"
          data-id={row.id}
          data-status={row.status}
          sx={{ py: 1, borderBottom: 1, borderColor: 'divider', bgcolor: selected.has(row.id) ? 'action.selected' : undefined }}
        >
          <Checkbox
            checked={selected.has(row.id)}
            onChange={() => onToggle(row.id)}
            sx={{ alignSelf: 'flex-start', p: 0.75 }}
            slotProps={{ input: { 'aria-label': row.title, 'data-testid': 'row-select' } as object }}
          />
          <Box sx={{ minWidth: 0, flex: 1 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', justifyContent: 'space-between' }}>
              <Link component={RouterLink} to={contractShowPath(row.id)} underline="hover" data-testid="contract-row-title" data-contract-id={row.id} sx={{ fontWeight: 500, overflowWrap: 'anywhere', pt: 0.5 }}>
                {row.title}
              </Link>
              <ContractStateChip status={row.status} voidReason={row.voidReason} />
            </Stack>
            <Typography variant="body2" color="text.secondary" data-testid="contract-row-counterparties" sx={{ overflowWrap: 'anywhere' }}>
              {row.counterparties}
            </Typography>
            <Typography variant="caption" color="text.secondary" component="div">
              <span data-testid="contract-row-initiator">{initiatorText(row)}</span> · {t('col_created')} {formatDateTime(row.createdAt, locale)}
              {row.contractNo ? ` · ${row.contractNo}` : ''}
            </Typography>
          </Box>
        </Stack>
      ))}
    </Box>
  );
};
