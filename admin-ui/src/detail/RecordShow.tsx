import type { ReactNode } from 'react';
import { ListButton, Show, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import { ShowLoadError, useKeepPageOnError } from '../../../ui-shared/src/components/ShowErrors';

const RecordTitle = ({ field, fallbackKey }: { field: string; fallbackKey: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  return <>{(record?.[field] as string | undefined) ?? translate(fallbackKey)}</>;
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
      <ShowLoadError />
      {children}
    </Show>
  );
};
