import type { ReactNode } from 'react';
import { Stack, Typography } from '@mui/material';

/** The heading row of a detail card: the record's name, then chips and buttons (wrapping). */
export const DetailHeading = ({ title, titleTestId, children }: { title: ReactNode; titleTestId?: string; children?: ReactNode }) => (
  <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, mb: 2 }}>
    <Typography variant="h5" component="h1" data-testid={titleTestId}>
      {title}
    </Typography>
    {children}
  </Stack>
);
