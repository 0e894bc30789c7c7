import { useState } from 'react';
import { Alert, Box, Card, CardContent, LinearProgress, Typography } from '@mui/material';
import { Title, useLocaleState, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { getDraft, setDraft } from '../../../ui-shared/src/drafts';
import { PdfFileInput } from '../contracts/create/PdfFileInput';
import { isPdf } from '../contracts/create/contractForm';
import { verifyText } from './changeText';
import type { VerificationReport } from './types';
import { VerificationResult } from './VerificationResult';

const DRAFT_KEY = 'portal.verify';

/** 文件验证: choosing a PDF uploads it at once to POST /api/verifications. */
export const VerifyPage = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  // Kept across the remount caused by switching the language.
  const last = getDraft<{ file: File; report: VerificationReport }>(DRAFT_KEY);
  const [file, setFile] = useState<File | null>(last?.file ?? null);
  const [report, setReport] = useState<VerificationReport | null>(last?.report ?? null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async (chosen: File | null) => {
    setFile(chosen);
    setReport(null);
    setError(null);
    if (!chosen) return;
    if (!isPdf(chosen)) {
      setError(translate('portal.create.errors.file_not_pdf'));
      return;
    }
    setBusy(true);
    try {
      const body = new FormData();
      body.append('file', chosen, chosen.name);
      const result = await apiFetch<VerificationReport>('/api/verifications', { body });
      setReport(result);
      setDraft(DRAFT_KEY, { file: chosen, report: result });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ mt: 1, maxWidth: 1200 }}>
      <Title title={translate('portal.verify.title')} />
      <Card>
        <CardContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate('portal.verify.intro')}
          </Typography>
          <PdfFileInput
            file={file}
            onChange={verify}
            disabled={busy}
            testId="verify-file-input"
            chooseLabel={translate('portal.verify.choose')}
          />
          {busy && (
            <Box sx={{ mt: 2 }} data-testid="verify-busy">
              <Typography variant="body2">{translate('portal.verify.verifying')}</Typography>
              <LinearProgress sx={{ mt: 1 }} />
            </Box>
          )}
          {error && (
            // Unreadable files (corrupt, encrypted, too complex) come back as errors: never shown as "no signatures".
            <Alert severity="error" sx={{ mt: 2 }} data-testid="verify-error" role="alert">
              <strong>{verifyText(locale).unreadable}</strong>
              <br />
              {error}
            </Alert>
          )}
        </CardContent>
      </Card>
      {report && <VerificationResult report={report} />}
    </Box>
  );
};
