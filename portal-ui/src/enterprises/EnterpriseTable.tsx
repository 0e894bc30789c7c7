import type { ReactNode } from 'react';
import { Box, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography, type SxProps, type Theme } from '@mui/material';
import { stackedOnPhoneSx } from '../../../ui-shared/src/components/stackedTable';

/** Extra attributes for a row or body cell, e.g. data-testid / data-id / data-status. */
type DataAttributes = { [attr: `data-${string}`]: string | undefined };

export interface EnterpriseColumn<T> {
  label: string;
  render: (row: T) => ReactNode;
  sx?: SxProps<Theme>;
  cellProps?: (row: T) => DataAttributes;
}

interface Props<T> {
  intro: string;
  /** The button at the top right (认证企业 / 加入企业). */
  action: ReactNode;
  emptyText: string;
  emptyTestId: string;
  tableTestId: string;
  rows: T[];
  rowKey: (row: T) => string;
  rowProps: (row: T) => DataAttributes;
  columns: EnterpriseColumn<T>[];
  /** The buttons of the last, unlabelled column. */
  actions: (row: T) => ReactNode;
  /** Dialogs opened from the rows. */
  children?: ReactNode;
}

/** One tab of 我的企业: intro + action, then an empty hint or a table that stacks on phones. */
export function EnterpriseTable<T>({ intro, action, emptyText, emptyTestId, tableTestId, rows, rowKey, rowProps, columns, actions, children }: Props<T>) {
  return (
    <Box>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', mb: 1, gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="body2" color="text.secondary">
          {intro}
        </Typography>
        {action}
      </Stack>
      {rows.length === 0 ? (
        <Typography color="text.secondary" sx={{ py: 4, textAlign: 'center' }} data-testid={emptyTestId}>
          {emptyText}
        </Typography>
      ) : (
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid={tableTestId} sx={[{ '& th': { whiteSpace: 'nowrap' } }, stackedOnPhoneSx]}>
            <TableHead>
              <TableRow>
                {columns.map((c) => (
                  <TableCell key={c.label}>{c.label}</TableCell>
                ))}
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={rowKey(row)} {...rowProps(row)}>
                  {columns.map((c) => (
                    <TableCell key={c.label} data-label={c.label} sx={c.sx} {...c.cellProps?.(row)}>
                      {c.render(row)}
                    </TableCell>
                  ))}
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    {actions(row)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {children}
    </Box>
  );
}
