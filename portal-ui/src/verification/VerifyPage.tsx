import { useState } from 'react';
import { Alert, AlertTitle, Box, Button, Card, CardContent, LinearProgress, Typography } from '@mui/material';
import { Title, useLocaleState, useTranslate } from 'react-admin';
import { ApiError, apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { getDraft, setDraft } from '../../../ui-shared/src/drafts';
import { useCountdown } from '../../../ui-shared/src/hooks/useCountdown';
import { PdfFileInput } from '../contracts/create/PdfFileInput';
import { isPdf } from '../contracts/create/contractForm';
import { verifyText } from './changeText';
import type { VerificationReport } from './types';
import { VerificationResult } from './VerificationResult';

const DRAFT_KEY = 'portal.verify';

/**
 * Refusals about the file itself (api/http/errors.ts: the DocumentError codes a verification answers, and the upload's
 * size limit): 无法验证此文件. Anything else (busy, unavailable, no connection…) says only what happened.
 */
const FILE_ERRORS: ReadonlySet<string> = new Set(['NOT_A_PDF', 'PDF_CORRUPT', 'PDF_TOO_LARGE', 'PDF_TOO_MANY_PAGES', 'PDF_NO_PAGES', 'PDF_ENCRYPTED', 'PDF_UNSUPPORTED_STRUCTURE', 'PDF_TOO_COMPLEX', 'FILE_TOO_LARGE']);

interface Failure {
  message: string;
  /** The file cannot be verified (as opposed to: the check did not run). */
  fileProblem: boolean;
  /** Worth sending the same file again: no answer, 429 or a 5xx. */
  retry: boolean;
}

function failureOf(e: unknown): Failure {
  const message = e instanceof Error ? e.message : String(e);
  if (!(e instanceof ApiError)) return { message, fileProblem: false, retry: true };
  return { message, fileProblem: !!e.code && FILE_ERRORS.has(e.code), retry: e.status === 0 || e.status === 429 || e.status >= 500 };
}

/** 文件验证: choosing a PDF uploads it at once to POST /api/verifications; a check that did not run offers 重试 with the same file. */
export const VerifyPage = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  // Kept across the remount caused by switching the language.
  const last = getDraft<{ file: File; report: VerificationReport | null }>(DRAFT_KEY);
  const [file, setFile] = useState<File | null>(last?.file ?? null);
  const [report, setReport] = useState<VerificationReport | null>(last?.report ?? null);
  const [error, setError] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  /** A 429's Retry-After: 重试 waits until then. */
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const waitLeft = useCountdown(retryAt);
  const text = verifyText(locale);

  const verify = async (chosen: File | null) => {
    setFile(chosen);
    setReport(null);
    setError(null);
    setRetryAt(null);
    if (!chosen) return;
    if (!isPdf(chosen)) {
      setError({ message: translate('portal.create.errors.file_not_pdf'), fileProblem: true, retry: false });
      return;
    }
    setDraft(DRAFT_KEY, { file: chosen, report: null });
    setBusy(true);
    try {
      const body = new FormData();
      body.append('file', chosen, chosen.name);
      const result = await apiFetch<VerificationReport>('/api/verifications', { body });
      setReport(result);
      setDraft(DRAFT_KEY, { file: chosen, report: result });
    } catch (e) {
      setError(failureOf(e));
      if (e instanceof ApiError && e.retryAfterSeconds) setRetryAt(Date.now() + e.retryAfterSeconds * 1000);
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
            // A check that did not run (busy, unavailable, offline) is not the file's fault: 重试 sends the same file again.
            <Alert
              severity="error"
              sx={{ mt: 2 }}
              data-testid="verify-error"
              data-kind={error.fileProblem ? 'file' : 'not-verified'}
              role="alert"
              action={
                error.retry && file ? (
                  <Button color="inherit" size="small" onClick={() => void verify(file)} disabled={busy || waitLeft > 0} data-testid="verify-retry">
                    {waitLeft > 0 ? text.retryIn(waitLeft) : translate('sf.common.retry')}
                  </Button>
                ) : undefined
              }
            >
              <AlertTitle>{error.fileProblem ? text.unreadable : text.notVerified}</AlertTitle>
              {error.message}
            </Alert>
          )}
        </CardContent>
      </Card>
      {report && <VerificationResult report={report} />}
    </Box>
  );
};
