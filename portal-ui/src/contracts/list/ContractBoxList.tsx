import { useMemo, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, LinearProgress, Stack, Typography, useMediaQuery, type Theme } from '@mui/material';
import NavigateBeforeIcon from '@mui/icons-material/NavigateBefore';
import NavigateNextIcon from '@mui/icons-material/NavigateNext';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { CreateButton, Title, useTranslate } from 'react-admin';
import { useMe } from '../../../../ui-shared/src/auth/useMe';
import type { Box as ContractBox } from '../boxes';
import { BoxEmpty } from './BoxEmpty';
import { BulkActions } from './BulkActions';
import { ContractListCards } from './ContractListCards';
import { ContractListTable } from './ContractListTable';
import { fetchListPage, type ContractListEntry, type ListFilters } from './listApi';
import { isFiltered, ListFilterBar } from './ListFilterBar';

/**
 * Filters, page and selection belong to one box of one party: switching the box or the acting
 * identity (切换至企业) starts afresh.
 */
export const ContractBoxList = ({ box }: { box: ContractBox }) => {
  const { me } = useMe();
  const party = `${me?.user.id ?? ''}:${me?.acting?.enterpriseId ?? ''}`;
  return <BoxList key={`${box}:${party}`} box={box} party={party} />;
};

/**
 * One box (待我签署 / 待他人签署 / 已完成签署 / 已作废 / 抄送我的) of the person's contracts, or of the
 * enterprise's when the session acts for one. Keyset paging: 上一页 / 下一页 walk a stack of cursors.
 * Selected rows (kept across pages) → 批量下载, 催办.
 */
const BoxList = ({ box, party }: { box: ContractBox; party: string }) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.contracts.list.${key}`, opts);
  const isPhone = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const [filters, setFilters] = useState<ListFilters>({});
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<Map<string, ContractListEntry>>(new Map());
  const cursor = cursors[cursors.length - 1] ?? null;
  const query = useQuery({
    queryKey: ['contracts', 'box', party, box, filters, cursor],
    queryFn: ({ signal }) => fetchListPage(box, filters, cursor, signal),
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => query.data?.items ?? [], [query.data]);
  const selectedIds = useMemo(() => new Set(selected.keys()), [selected]);

  const changeFilters = (f: ListFilters) => {
    setFilters(f);
    setCursors([null]);
  };
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(id)) next.delete(id);
      else {
        const entry = items.find((i) => i.id === id);
        if (entry) next.set(id, entry);
      }
      return next;
    });
  const toggleAll = (checked: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      for (const i of items) {
        if (checked) next.set(i.id, i);
        else next.delete(i.id);
      }
      return next;
    });
  const filtered = isFiltered(filters);
  // 催办 applies to contracts in progress that the party initiated; the server decides per contract.
  const urgeIds = [...selected.values()].filter((e) => e.status === 'in_progress' && e.initiatedByMe).map((e) => e.id);
  const titles = useMemo(() => new Map([...selected].map(([id, e]) => [id, e.title])), [selected]);
  // One array per selection: the 批量签署 dialog checks the batch again whenever it changes (checks are throttled).
  const selectedIdList = useMemo(() => [...selected.keys()], [selected]);
  const firstPageEmpty = cursors.length === 1 && query.isSuccess && items.length === 0;

  return (
    <Box sx={{ mt: 1 }} data-testid={`contract-list-${box}`} data-box={box}>
      <Title title={translate(`portal.menu.${box}`)} />
      <Card>
        <CardContent>
          <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 2 }}>
            <Typography variant="h6" component="h1" data-testid="list-title">
              {translate(`portal.menu.${box}`)}
            </Typography>
            <CreateButton resource="contracts" variant="contained" label={t('create')} data-testid="list-create" />
          </Stack>
          <ListFilterBar box={box} filters={filters} onChange={changeFilters} />
          <BulkActions
            ids={selectedIdList}
            titles={titles}
            urgeIds={urgeIds}
            batchSign={box === 'todo'}
            onClear={() => setSelected(new Map())}
            onDone={() => void query.refetch()}
          />
          {query.isFetching && <LinearProgress sx={{ mb: 1 }} data-testid="list-loading" />}
          {query.error && (
            <Alert severity="error" role="alert" data-testid="error-message">
              {query.error.message}
            </Alert>
          )}
          {firstPageEmpty && !filtered && <BoxEmpty box={box} />}
          {firstPageEmpty && filtered && (
            <Alert severity="info" data-testid="contract-list-empty">
              {t('empty_filtered')}
            </Alert>
          )}
          {items.length > 0 &&
            (isPhone ? (
              <ContractListCards items={items} selected={selectedIds} onToggle={toggle} />
            ) : (
              <ContractListTable items={items} selected={selectedIds} onToggle={toggle} onToggleAll={toggleAll} />
            ))}
          {(cursors.length > 1 || query.data?.nextCursor) && (
            <Stack direction="row" spacing={1} sx={{ mt: 2, justifyContent: 'flex-end', alignItems: 'center' }} data-testid="list-pager">
              <Typography variant="body2" color="text.secondary" data-testid="list-page">
                {t('page', { page: cursors.length })}
              </Typography>
              <Button size="small" startIcon={<NavigateBeforeIcon />} disabled={cursors.length === 1 || query.isFetching} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="list-prev">
                {t('prev')}
              </Button>
              <Button
                size="small"
                endIcon={<NavigateNextIcon />}
                disabled={!query.data?.nextCursor || query.isFetching}
                onClick={() => query.data?.nextCursor && setCursors((c) => [...c, query.data!.nextCursor])}
                data-testid="list-next"
              >
                {t('next')}
              </Button>
            </Stack>
          )}
        </CardContent>
      </Card>
    </Box>
  );
};
