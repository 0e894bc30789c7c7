import type { ReactNode } from 'react';
import { Alert, Button } from '@mui/material';
import { ListButton, Show, TopToolbar, useNotify, useRecordContext, useRedirect, useResourceContext, useShowContext, useTranslate } from 'react-admin';
import { errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';

const RecordTitle = ({ field, fallbackKey }: { field: string; fallbackKey: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  return <>{(record?.[field] as string | undefined) ?? translate(fallbackKey)}</>;
};

/** The HTTP status of a failed dataProvider call (HttpError; 0 when the network failed). */
const statusOf = (error: unknown): number | undefined => (error as { status?: unknown } | null)?.status as number | undefined;

/**
 * `onError` of the page's query. react-admin's default says 数据不存在 and redirects to the list on ANY failed fetch —
 * a background refetch (the window regaining focus, a refresh) answered 503 / 429 or lost on the network included —
 * which unmounts the page and what the operator was doing on it (a 驳回 reason being typed). Only a 404 does that
 * here; any other error shows the server's message and the page stays with the record it last read.
 */
function useKeepPageOnError() {
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
const LoadError = () => {
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

interface Props {
  /** The record field shown as the page title… */
  titleField: string;
  /** …and the message key used until the record is loaded. */
  titleFallbackKey: string;
  /** Let the content shrink below its natural width (wide tables / grids inside). */
  shrinkable?: boolean;
  children: ReactNode;
}

/** A react-admin Show page with the record as title and a back-to-list button; a failed read other than 404 keeps the page. */
export const RecordShow = ({ titleField, titleFallbackKey, shrinkable, children }: Props) => {
  const onError = useKeepPageOnError();
  return (
    <Show
      title={<RecordTitle field={titleField} fallbackKey={titleFallbackKey} />}
      component="div"
      actions={
        <TopToolbar>
          <ListButton />
        </TopToolbar>
      }
      queryOptions={{ onError }}
      sx={shrinkable ? { '& .RaShow-card': { minWidth: 0 } } : undefined}
    >
      <LoadError />
      {children}
    </Show>
  );
};
