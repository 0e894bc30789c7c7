import { Checkbox, Link, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatDateTime } from '../../../../ui-shared/src/format';
import { ContractStateChip } from '../shared/ContractStateChip';
import type { ContractListEntry } from './listApi';

export const contractShowPath = (id: string) => `/contracts/${encodeURIComponent(id)}/show`;

/** 某某科技有限公司（张三） when initiated as an enterprise, else the person's name. */
export const initiatorText = (row: ContractListEntry) => (row.initiatorEnterpriseName ? `${row.initiatorEnterpriseName}（${row.initiatorName}）` : row.initiatorName);

/**
 * One page of a box as a table (phones get ContractListCards).
 * Rows: data-testid="contract-row", data-id, data-status.
 */
export const ContractListTable = ({
  items,
  selected,
  onToggle,
  onToggleAll,
}: {
  items: ContractListEntry[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (checked: boolean) => void;
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string) => translate(`portal.contracts.list.${key}`);
  const allChecked = items.length > 0 && items.every((i) => selected.has(i.id));
  const someChecked = items.some((i) => selected.has(i.id));
  return (
    <Table size="small" data-testid="contract-table">
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox">
            <Checkbox
              checked={allChecked}
              indeterminate={someChecked && !allChecked}
              onChange={(e) => onToggleAll(e.target.checked)}
              slotProps={{ input: { 'aria-label': t('select_all'), 'data-testid': 'select-all' } as object }}
            />
          </TableCell>
          <TableCell>{t('col_title')}</TableCell>
          <TableCell>{t('col_no')}</TableCell>
          <TableCell>{t('col_counterparties')}</TableCell>
          <TableCell>{t('col_initiator')}</TableCell>
          <TableCell>{t('col_status')}</TableCell>
          <TableCell>{t('col_created')}</TableCell>
          <TableCell>{t('col_expires')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map((row) => (
          <TableRow key={row.id} hover data-testid="contract-row" data-id={row.id} data-status={row.status} selected={selected.has(row.id)}>
            <TableCell padding="checkbox">
              <Checkbox
                checked={selected.has(row.id)}
                onChange={() => onToggle(row.id)}
                slotProps={{ input: { 'aria-label': row.title, 'data-testid': 'row-select' } as object }}
              />
            </TableCell>
            <TableCell data-label={t('col_title')}>
              <Link component={RouterLink} to={contractShowPath(row.id)} underline="hover" data-testid="contract-row-title" data-contract-id={row.id} sx={{ fontWeight: 500, wordBreak: 'break-all' }}>
                {row.title}
              </Link>
            </TableCell>
            <TableCell data-label={t('col_no')} sx={{ whiteSpace: { md: 'nowrap' } }}>{row.contractNo ?? ''}</TableCell>
            <TableCell data-label={t('col_counterparties')}>
              <Typography variant="body2" data-testid="contract-row-counterparties" sx={{ maxWidth: { md: 260 } }}>
                {row.counterparties}
              </Typography>
            </TableCell>
            <TableCell data-label={t('col_initiator')} data-testid="contract-row-initiator" sx={{ whiteSpace: { md: 'nowrap' } }}>
              {initiatorText(row)}
            </TableCell>
            <TableCell data-label={t('col_status')} sx={{ whiteSpace: 'nowrap' }}>
              <ContractStateChip status={row.status} voidReason={row.voidReason} />
            </TableCell>
            <TableCell data-label={t('col_created')} sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(row.createdAt, locale)}</TableCell>
            <TableCell data-label={t('col_expires')} sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(row.expiresAt, locale)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
