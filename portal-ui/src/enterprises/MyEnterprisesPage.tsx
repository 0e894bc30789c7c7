import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Box, Button, Card, CircularProgress, Tab, Tabs } from '@mui/material';
import { useSearchParams } from 'react-router-dom';
import { Title, useNotify, useTranslate } from 'react-admin';
import { identityMayHaveChanged } from '../../../ui-shared/src/auth/identityEvents';
import { switchActing } from '../../../ui-shared/src/auth/session';
import { useMe, useReloadSession } from '../../../ui-shared/src/auth/useMe';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { useApiGet } from '../../../ui-shared/src/hooks/useApiGet';
import type { NamedOption } from '../../../ui-shared/src/types';
import { CertifiedEnterprises } from './CertifiedEnterprises';
import { JoinedEnterprises } from './JoinedEnterprises';
import { PendingTransfers } from './PendingTransfers';
import type { MyEnterprises } from './types';

type TabName = 'certified' | 'joined';

/** While a 管理员转让 waits for the other party, its outcome is looked up this often. */
const TRANSFER_POLL_MS = 5000;

/** 我的企业 (personal identity): 我认证的企业 · 我加入的企业 · 管理员转让待确认. */
export const MyEnterprisesPage = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const { me } = useMe();
  const reloadSession = useReloadSession();
  const [params, setParams] = useSearchParams();
  const tab: TabName = params.get('tab') === 'joined' ? 'joined' : 'certified';
  const [version, setVersion] = useState(0);
  const { data, error, loading } = useApiGet<MyEnterprises>('/api/my/enterprises', version);
  const { data: sealTypes } = useApiGet<NamedOption[]>('/api/config/seal-types');
  const changed = () => setVersion((v) => v + 1);

  // A transfer waiting for the other party ends elsewhere: follow it, and when one has ended
  // (completed, cancelled, expired) let the identity (header, switcher) catch up.
  const waiting = data?.pendingTransfers.some((t) => !t.myTurn) ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(changed, TRANSFER_POLL_MS);
    return () => clearInterval(timer);
  }, [waiting]);
  const transferIds = useRef<string[] | null>(null);
  useEffect(() => {
    if (!data) return;
    const ids = data.pendingTransfers.map((t) => t.id);
    if (transferIds.current?.some((id) => !ids.includes(id))) identityMayHaveChanged();
    transferIds.current = ids;
  }, [data]);

  const nameOf = (enterpriseId: string) =>
    data?.joined.find((j) => j.enterpriseId === enterpriseId)?.enterpriseName ??
    data?.certified.find((c) => c.id === enterpriseId)?.name ??
    me?.enterprises.find((e) => e.id === enterpriseId)?.name ??
    '';

  const toPersonal = async () => {
    try {
      await switchActing(null);
      reloadSession();
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    }
  };

  const pendingJoins = data?.joined.filter((j) => j.status === 'pending').length ?? 0;

  return (
    <Box sx={{ mt: 1, maxWidth: 1200 }} data-testid="my-enterprises-page">
      <Title title={translate('portal.enterprises.title')} />
      {me?.acting && (
        <Alert
          severity="info"
          sx={{ mb: 2 }}
          data-testid="acting-as-enterprise-hint"
          action={
            <Button color="inherit" size="small" onClick={toPersonal} data-testid="switch-to-personal">
              {translate('portal.identity.to_personal')}
            </Button>
          }
        >
          {translate('portal.enterprises.acting_hint', { name: me.acting.enterpriseName })}
        </Alert>
      )}
      {data && (
        <PendingTransfers
          transfers={data.pendingTransfers}
          nameOf={nameOf}
          onChanged={() => {
            changed();
            reloadSession();
          }}
        />
      )}
      <ApiErrorAlert error={error?.message} sx={{ mt: 0, mb: 2 }} />
      <Card>
        <Tabs value={tab} onChange={(_, value: TabName) => setParams(value === 'joined' ? { tab: 'joined' } : {}, { replace: true })} sx={{ borderBottom: 1, borderColor: 'divider', px: 1 }}>
          <Tab value="certified" label={translate('portal.enterprises.tab_certified')} data-testid="tab-certified" />
          <Tab
            value="joined"
            data-testid="tab-joined"
            label={
              <Badge color="warning" badgeContent={pendingJoins} sx={{ '& .MuiBadge-badge': { right: -12 } }}>
                {translate('portal.enterprises.tab_joined')}
              </Badge>
            }
          />
        </Tabs>
        <Box sx={{ p: 2 }}>
          {loading && !data && <CircularProgress size={24} />}
          {data &&
            (tab === 'certified' ? (
              <CertifiedEnterprises rows={data.certified} sealTypes={sealTypes ?? []} onChanged={changed} />
            ) : (
              <JoinedEnterprises rows={data.joined} onChanged={changed} />
            ))}
        </Box>
      </Card>
    </Box>
  );
};
