import { Button, Link } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Contract } from '../../../ui-shared/src/types';

/** Opens the contract's workflow in the Temporal Web UI, in a new tab. */
export const TemporalLink = ({ variant = 'link' }: { variant?: 'link' | 'button' }) => {
  const translate = useTranslate();
  const record = useRecordContext<Contract>();
  if (!record?.temporalUrl) return null;
  const common = {
    href: record.temporalUrl,
    target: '_blank',
    rel: 'noopener noreferrer',
    title: translate('admin.contracts.open_temporal'),
    'data-testid': 'temporal-link',
    onClick: (e: React.MouseEvent) => e.stopPropagation(),
  };
  return variant === 'button' ? (
    <Button variant="outlined" size="small" endIcon={<OpenInNewIcon />} {...common}>
      {translate('admin.contracts.temporal')}
    </Button>
  ) : (
    <Link {...common} sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, whiteSpace: 'nowrap' }}>
      {translate('admin.contracts.temporal')}
      <OpenInNewIcon sx={{ fontSize: 14 }} />
    </Link>
  );
};
