import { Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatDateTime } from '../format';
import type { Participant } from '../types';
import { SignerStatusChip } from './SignerStatusChip';

/** A contract's parties by signing step (parallel ones share a step) with status, signed time and who signed. */
export const ParticipantsTable = ({ participants }: { participants: Participant[] }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const rows = [...participants].sort((a, b) => a.step - b.step);
  return (
    <TableContainer sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="participants-table" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('sf.signer.step')}</TableCell>
            <TableCell>{translate('sf.signer.kind')}</TableCell>
            <TableCell>{translate('sf.signer.name')}</TableCell>
            <TableCell>{translate('sf.signer.mobile')}</TableCell>
            <TableCell>{translate('sf.signer.status')}</TableCell>
            <TableCell>{translate('sf.signer.signed_at')}</TableCell>
            <TableCell>{translate('sf.signer.signed_by')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((p) => (
            <TableRow key={p.id} data-testid="participant-row" data-status={p.status}>
              <TableCell>{p.step}</TableCell>
              <TableCell>{translate(`sf.signer.kind_${p.kind}`, { _: p.kind })}</TableCell>
              <TableCell>{p.name}</TableCell>
              <TableCell>{p.mobileMasked || '—'}</TableCell>
              <TableCell>
                <SignerStatusChip status={p.status} />
              </TableCell>
              <TableCell>{p.signedAt ? formatDateTime(p.signedAt, locale) : '—'}</TableCell>
              <TableCell>{p.signedByName ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
