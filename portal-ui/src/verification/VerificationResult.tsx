import { Alert, Box, Card, CardContent, CardHeader, Chip, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import VerifiedIcon from '@mui/icons-material/Verified';
import GppBadIcon from '@mui/icons-material/GppBad';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatDateTime } from '../../../ui-shared/src/format';
import { changeText, verifyText } from './changeText';
import type { VerificationReport, VerificationStatus, VerifiedSignature } from './types';

const YesNo = ({ value, yes, no, testId }: { value: boolean; yes: string; no: string; testId?: string }) => (
  <Chip size="small" color={value ? 'success' : 'error'} variant="outlined" label={value ? yes : no} data-testid={testId} data-value={String(value)} />
);

const SignatureRow = ({ sig }: { sig: VerifiedSignature }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const text = verifyText(locale);
  const cert = sig.certificate;
  return (
    <TableRow data-testid="verify-signature-row" data-intact={String(sig.intact)} data-platform={String(sig.chainedToPlatform)}>
      <TableCell>{sig.signerName ?? sig.fieldName}</TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(sig.signingTime, locale)}</TableCell>
      <TableCell sx={{ wordBreak: 'break-all', minWidth: 160 }}>{cert?.subject ?? '—'}</TableCell>
      <TableCell sx={{ wordBreak: 'break-all', minWidth: 140 }}>{cert?.issuer ?? '—'}</TableCell>
      <TableCell sx={{ wordBreak: 'break-all', fontFamily: 'monospace', fontSize: 12 }}>{cert?.serialNumber ?? '—'}</TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        {cert ? (
          <>
            {formatDateTime(cert.notBefore, locale)}
            <br />
            {formatDateTime(cert.notAfter, locale)}
          </>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>
        <YesNo value={sig.intact} yes={translate('portal.verify.sig_intact')} no={translate('portal.verify.sig_broken')} />
        {sig.intact && !sig.coversWholeDocument && (
          <Typography variant="caption" color="text.secondary" component="div">
            {translate('portal.verify.partial')}
          </Typography>
        )}
      </TableCell>
      <TableCell data-testid="verify-signature-changes" data-modified={String(sig.modifiedAfterSigning)}>
        <YesNo value={!sig.modifiedAfterSigning} yes={text.notModified} no={text.modified} />
        {sig.changes.map((change) => (
          <Typography key={change.kind} variant="caption" color="error" component="div" data-testid="verify-change" data-kind={change.kind}>
            {changeText(change, locale)}
          </Typography>
        ))}
      </TableCell>
      <TableCell>
        <YesNo value={sig.chainedToPlatform} yes={translate('portal.verify.yes')} no={translate('portal.verify.no')} />
        {sig.revocation && (
          <Box data-testid="verify-revocation" data-before={String(sig.revocation.signedBeforeRevocation)} sx={{ mt: 0.5 }}>
            <Chip size="small" color={sig.revocation.signedBeforeRevocation ? 'warning' : 'error'} label={text.revoked(formatDateTime(sig.revocation.revokedAt, locale), locale === 'en' ? sig.revocation.reasonLabelEn : sig.revocation.reasonLabel)} />
            <Typography variant="caption" color={sig.revocation.signedBeforeRevocation ? 'text.secondary' : 'error'} component="div">
              {sig.revocation.signedBeforeRevocation ? text.signedBefore : text.signedAfter}
            </Typography>
          </Box>
        )}
      </TableCell>
    </TableRow>
  );
};

const SEVERITY: Record<VerificationStatus, 'success' | 'warning' | 'error' | 'info'> = {
  valid: 'success',
  partial: 'warning',
  revoked: 'error',
  not_platform: 'warning',
  unsigned: 'info',
  modified: 'error',
};

/**
 * Overall verdict (签署后被修改 first, then 非本平台签署, 未签署, 文件完整) and one row per signature,
 * each saying whether and what changed after it.
 */
export const VerificationResult = ({ report }: { report: VerificationReport }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const text = verifyText(locale);
  const signed = report.signatureCount > 0;
  const intact = report.intact && !report.modifiedAfterSigning;
  const good = report.status === 'valid';
  const summary = locale === 'en' ? report.summaryEn || report.summary : report.summary || report.summaryEn;
  return (
    <Card sx={{ mt: 2 }} data-testid="verify-result" data-status={report.status} data-platform={String(report.signedByPlatform)} data-intact={String(intact)}>
      <CardContent>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
          {good ? <VerifiedIcon color="success" sx={{ fontSize: 48 }} /> : <GppBadIcon color="error" sx={{ fontSize: 48 }} />}
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="caption" color="text.secondary">
              {translate('portal.verify.file')}
            </Typography>
            <Typography variant="subtitle1" sx={{ wordBreak: 'break-all' }} data-testid="verify-file-name">
              {report.fileName}
            </Typography>
          </Box>
        </Stack>
        <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1 }}>
          <Chip
            color={report.signedByPlatform ? 'success' : 'error'}
            label={translate(report.signedByPlatform ? 'portal.verify.platform_yes' : 'portal.verify.platform_no')}
            data-testid="verify-platform"
            data-value={String(report.signedByPlatform)}
          />
          <Chip
            color={!signed ? 'default' : intact ? 'success' : 'error'}
            label={translate(!signed ? 'portal.verify.unsigned' : intact ? 'portal.verify.intact_yes' : 'portal.verify.intact_no')}
            data-testid="verify-integrity"
            data-value={String(intact)}
          />
          <Chip variant="outlined" label={translate('portal.verify.signature_count', { smart_count: report.signatureCount })} data-testid="verify-count" />
        </Stack>
        {summary && (
          <Alert severity={SEVERITY[report.status] ?? 'warning'} sx={{ mt: 2 }} data-testid="verify-summary">
            {summary}
          </Alert>
        )}
        {report.signaturesTruncated && (
          <Alert severity="warning" sx={{ mt: 1 }} data-testid="verify-truncated">
            {text.truncated(report.signatureCount, report.signatures.length)}
          </Alert>
        )}
      </CardContent>
      <CardHeader title={translate('portal.verify.signatures')} slotProps={{ title: { variant: 'h6' } }} sx={{ pt: 0 }} />
      <CardContent sx={{ pt: 0 }}>
        {report.signatures.length === 0 ? (
          <Alert severity="info">{translate('portal.verify.no_signatures')}</Alert>
        ) : (
          <TableContainer sx={{ overflowX: 'auto' }}>
            <Table size="small" data-testid="verify-signatures" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate('portal.verify.signer')}</TableCell>
                  <TableCell>{translate('portal.verify.signing_time')}</TableCell>
                  <TableCell>{translate('portal.verify.subject')}</TableCell>
                  <TableCell>{translate('portal.verify.issuer')}</TableCell>
                  <TableCell>{translate('portal.verify.serial')}</TableCell>
                  <TableCell>{translate('portal.verify.validity')}</TableCell>
                  <TableCell>{translate('portal.verify.integrity')}</TableCell>
                  <TableCell>{text.modifiedAfter}</TableCell>
                  <TableCell>{translate('portal.verify.platform_cert')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {report.signatures.map((sig, i) => (
                  <SignatureRow key={`${sig.fieldName}-${i}`} sig={sig} />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </CardContent>
    </Card>
  );
};
