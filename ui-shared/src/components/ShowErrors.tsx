import { Alert, Button } from '@mui/material';
import { useNotify, useRedirect, useResourceContext, useShowContext, useTranslate } from 'react-admin';
import { errorMessage } from './ApiErrorAlert';

/** The HTTP status of a failed dataProvider call (HttpError; 0 when the network failed). */
const statusOf = (error: unknown): number | undefined => (error as { status?: unknown } | null)?.status as number | undefined;

/**
 * `onError` for a Show page's query. react-admin's default says 数据不存在 and redirects to the list on ANY failed
 * fetch — a background refetch (window focus, refresh) answered 503 / 429 or lost on the network included — which
 * unmounts the page and whatever the user was doing on it (placed marks, an open dialog with a typed code). Here only
 * a 404 does that; any other error shows the server's message and the page stays with the record it last read. Used by
 * the portal's contract page and the console's RecordShow (review, enterprise and template pages).
 */
export function useKeepPageOnError() {
  const notify = useNotify();
  const redirect = useRedirect();
  const resource = useResourceContext();
  return (error: unknown) => {
    if (statusOf(error) === 404) {
      notify('ra.notification.item_doesnt_exist', { type: 'error' });
      redirect('list', resource);
      return;
    }
    notify(errorMessage(error), { type: 'error' });
  };
}

/** The first read of the record failed (not a 404): the server's message and 刷新, instead of an empty page. */
export const ShowLoadError = () => {
  const { record, error, refetch, isFetching } = useShowContext();
  const translate = useTranslate();
  if (record || !error) return null;
  return (
    <Alert
      severity="error"
      role="alert"
      data-testid="show-load-error"
      sx={{ mt: 2 }}
      action={
        <Button color="inherit" size="small" disabled={isFetching} onClick={() => void refetch()} data-testid="show-load-retry">
          {translate('ra.action.refresh')}
        </Button>
      }
    >
      {errorMessage(error)}
    </Alert>
  );
};
