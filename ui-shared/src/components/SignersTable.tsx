import { Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatDateTime } from '../format';
import type { Signer } from '../types';
import { SignerStatusChip } from './SignerStatusChip';

/** Signers in signing order with status, signed time and seal position. */
export const SignersTable = ({ signers }: { signers: Signer[] }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const rows = [...signers].sort((a, b) => a.order - b.order);
  return (
    <TableContainer sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="signers-table" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('sf.signer.order')}</TableCell>
            <TableCell>{translate('sf.signer.name')}</TableCell>
            <TableCell>{translate('sf.signer.mobile')}</TableCell>
            <TableCell>{translate('sf.signer.status')}</TableCell>
            <TableCell>{translate('sf.signer.signed_at')}</TableCell>
            <TableCell>{translate('sf.signer.position')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((s) => (
            <TableRow key={s.id} data-testid="signer-row" data-signer-status={s.status}>
              <TableCell>{s.order}</TableCell>
              <TableCell>{s.name}</TableCell>
              <TableCell>{s.mobileMasked}</TableCell>
              <TableCell>
                <SignerStatusChip status={s.status} />
              </TableCell>
              <TableCell>{s.signedAt ? formatDateTime(s.signedAt, locale) : '—'}</TableCell>
              <TableCell>
                {s.position ? translate('sf.signer.position_value', s.position) : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
