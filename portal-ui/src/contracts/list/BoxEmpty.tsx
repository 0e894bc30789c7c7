import { Box, Typography } from '@mui/material';
import InboxIcon from '@mui/icons-material/Inbox';
import { CreateButton, useTranslate } from 'react-admin';
import type { Box as ContractBox } from '../boxes';

export const BoxEmpty = ({ box }: { box: ContractBox }) => {
  const translate = useTranslate();
  return (
    <Box sx={{ textAlign: 'center', py: 6, px: 2, width: '100%' }} data-testid="contract-list-empty">
      <InboxIcon sx={{ fontSize: 72, color: 'text.disabled' }} />
      <Typography variant="h6" color="text.secondary" gutterBottom>
        {translate(`portal.contracts.list.empty_${box}`)}
      </Typography>
      <CreateButton resource="contracts" variant="contained" label={translate('portal.contracts.list.create')} />
    </Box>
  );
};
