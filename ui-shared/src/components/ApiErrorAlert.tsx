import { Alert, type SxProps, type Theme } from '@mui/material';

/** An error returned by the API (already localized by apiFetch), shown on the page. */
export const ApiErrorAlert = ({ error, testId = 'error-message', sx }: { error: string | null | undefined; testId?: string; sx?: SxProps<Theme> }) =>
  error ? (
    <Alert severity="error" role="alert" data-testid={testId} sx={{ mt: 2, ...sx }}>
      {error}
    </Alert>
  ) : null;

/** The message of anything thrown by apiFetch / the dataProvider. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : typeof e === 'string' ? e : String(e));
