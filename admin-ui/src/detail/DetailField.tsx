import type { ReactNode } from 'react';
import { Box, Typography, type SxProps, type Theme } from '@mui/material';

export interface DetailFieldProps {
  label: string;
  children: ReactNode;
  testId?: string;
}

interface Props extends DetailFieldProps {
  /** Layout of the label + value block (min width in a wrapping row, spacing in a column). */
  sx?: SxProps<Theme>;
  variant?: 'body1' | 'body2';
  /** Let long ids / codes break anywhere. */
  breakAll?: boolean;
}

/** One labelled value on a detail page: small caption, value below. */
export const DetailField = ({ label, children, testId, sx, variant = 'body1', breakAll }: Props) => (
  <Box sx={sx}>
    <Typography variant="caption" color="text.secondary" component="div">
      {label}
    </Typography>
    <Typography variant={variant} component="div" sx={breakAll ? { wordBreak: 'break-all' } : undefined} data-testid={testId}>
      {children}
    </Typography>
  </Box>
);
