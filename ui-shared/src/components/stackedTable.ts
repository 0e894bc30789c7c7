import type { Theme } from '@mui/material';

/**
 * For a plain MUI <Table>: on phones each row becomes a block of "label / value" lines (labels
 * from the cells' data-label) instead of a table that needs scrolling sideways. Wider screens
 * keep the table.
 */
export const stackedOnPhoneSx = (theme: Theme) => ({
  [theme.breakpoints.down('sm')]: {
    '& thead': { display: 'none' },
    '& tbody, & tr, & td': { display: 'block' },
    '& tr': { py: 1, borderBottom: `1px solid ${theme.palette.divider}` },
    '& td': { border: 0, px: 0, py: 0.5, textAlign: 'left', overflowWrap: 'anywhere' },
    '& td[data-label]::before': {
      content: 'attr(data-label)',
      display: 'block',
      ...theme.typography.caption,
      color: theme.palette.text.secondary,
    },
    '& td:empty': { display: 'none' },
  },
});
