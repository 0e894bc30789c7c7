import { Alert, Card, CardContent, CardHeader, LinearProgress, Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from '@mui/material';
import { useLocaleState, useTranslate, type Identifier } from 'react-admin';
import { formatDateTime } from '../../../../ui-shared/src/format';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import { actionLabelFor, actorNameFor, type AuditEntry } from '../../../../ui-shared/src/types';
import { contractUrls } from './contractUrls';

/** 签署轨迹: GET /api/contracts/:id/audit, oldest first as the API returns it. */
export const AuditTrail = ({ contractId, version }: { contractId: Identifier; version: string }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { data, error, loading } = useApiGet<AuditEntry[]>(contractUrls.audit(contractId), version);
  return (
    <Card>
      <CardHeader title={translate('portal.show.audit')} slotProps={{ title: { variant: 'h6' } }} />
      {loading && <LinearProgress />}
      <CardContent sx={{ pt: 0 }}>
        {error && <Alert severity="error">{error.message}</Alert>}
        {data && data.length === 0 && <Alert severity="info">{translate('portal.show.audit_empty')}</Alert>}
        {data && data.length > 0 && (
          <TableContainer sx={{ overflowX: 'auto' }}>
            <Table size="small" data-testid="audit-list">
              <TableHead>
                <TableRow>
                  <TableCell>{translate('sf.audit.at')}</TableCell>
                  <TableCell>{translate('sf.audit.actor')}</TableCell>
                  <TableCell>{translate('sf.audit.action')}</TableCell>
                  <TableCell>{translate('sf.audit.ip')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.map((entry) => (
                  <TableRow key={entry.id} data-testid="audit-row" data-action={entry.action}>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at, locale)}</TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{actorNameFor(entry, translate)}</TableCell>
                    <TableCell>{actionLabelFor(entry, locale)}</TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{entry.ip ?? '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </CardContent>
    </Card>
  );
};
