import { useCallback, useEffect, useState } from 'react';
import { Badge, Box, Button, Divider, IconButton, List, ListItemButton, ListItemText, Popover, Tooltip, Typography } from '@mui/material';
import NotificationsIcon from '@mui/icons-material/Notifications';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import type { NotificationPageView, NotificationView } from '../../../domain/notifications/my-notifications';
import { apiFetch } from '../api/apiFetch';
import { switchActing } from '../auth/session';
import { confirmDiscardEdits } from './LeaveGuard';
import { formatDateTime } from '../format';
import { errorMessage } from './ApiErrorAlert';

/** A notice and a page of GET /api/me/notifications: the server's shapes (domain/notifications/my-notifications.ts). */
export type NotificationItem = NotificationView;
type NotificationPage = NotificationPageView;

/** How often the bell asks for new notices. */
export const NOTIFICATION_POLL_MS = 30_000;
const PAGE_SIZE = 10;

/**
 * 站内消息 bell in the app bar (portal and console): the unread count as a badge, refreshed every
 * ~30 s while the tab is visible and whenever the list opens; the list shows the latest notices,
 * opening one marks it read and follows its link (as the enterprise it is about, if any); 全部已读
 * marks all read. A refused 已读 / 全部已读 says the server's message (the notices stay unread).
 */
export const NotificationBell = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [page, setPage] = useState<NotificationPage | null>(null);

  const load = useCallback(async () => {
    try {
      setPage(await apiFetch<NotificationPage>(`/api/me/notifications?limit=${PAGE_SIZE}`));
    } catch {
      // Logged out or offline: keep what is shown; the next poll tries again.
    }
  }, []);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => {
      if (!document.hidden) void load();
    }, NOTIFICATION_POLL_MS);
    const onVisible = () => {
      if (!document.hidden) void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [load]);

  const open = (e: React.MouseEvent<HTMLElement>) => {
    setAnchor(e.currentTarget);
    void load();
  };

  const choose = async (n: NotificationItem) => {
    if (!n.readAt) {
      // A notice with a link opens anyway (the page is left); one without says why it stayed unread.
      await apiFetch(`/api/me/notifications/${encodeURIComponent(n.id)}/read`, { method: 'POST' }).catch((e: unknown) => {
        if (!n.link) notify(errorMessage(e), { type: 'error' });
      });
      await load();
    }
    if (n.link) {
      setAnchor(null);
      if (!(await confirmDiscardEdits(n.enterpriseId ? 'identity' : 'leave'))) return;
      // A notice about an enterprise opens as that enterprise (its contracts are seen acting for it); if the
      // switch is refused (no longer a member), the link opens as before and answers for itself.
      if (n.enterpriseId) await switchActing(n.enterpriseId).catch(() => undefined);
      window.location.assign(n.link);
    }
  };

  const readAll = async () => {
    await apiFetch('/api/me/notifications/read-all', { method: 'POST' }).catch((e: unknown) => notify(errorMessage(e), { type: 'error' }));
    await load();
  };

  const unread = page?.unread ?? 0;
  return (
    <>
      <Tooltip title={translate('sf.notifications.title')}>
        <IconButton color="inherit" onClick={open} data-testid="notification-bell" aria-label={translate('sf.notifications.title')}>
          <Badge badgeContent={unread} max={99} color="error" data-testid="notification-unread" data-count={unread}>
            <NotificationsIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Popover
        open={!!anchor}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ paper: { sx: { width: { xs: '92vw', sm: 380 }, maxHeight: 480 } } }}
      >
        <Box sx={{ display: 'flex', alignItems: 'center', px: 2, py: 1 }}>
          <Typography variant="subtitle1" sx={{ flex: 1 }}>
            {translate('sf.notifications.title')}
            {unread > 0 && ` (${translate('sf.notifications.unread_count', { count: unread })})`}
          </Typography>
          <Button size="small" onClick={readAll} disabled={unread === 0} data-testid="notification-read-all">
            {translate('sf.notifications.read_all')}
          </Button>
        </Box>
        <Divider />
        {page && page.items.length === 0 ? (
          <Typography sx={{ p: 2, color: 'text.secondary' }} data-testid="notification-empty">
            {translate('sf.notifications.empty')}
          </Typography>
        ) : (
          <List dense disablePadding data-testid="notification-list">
            {(page?.items ?? []).map((n) => (
              <ListItemButton key={n.id} onClick={() => void choose(n)} data-testid="notification-item" data-read={n.readAt ? 'true' : 'false'} alignItems="flex-start">
                <Box sx={{ width: 8, height: 8, mt: 1, mr: 1, flexShrink: 0, borderRadius: '50%', bgcolor: n.readAt ? 'transparent' : 'error.main' }} />
                <ListItemText
                  primary={n.title}
                  secondary={
                    <>
                      {n.body}
                      <Box component="span" sx={{ display: 'block', mt: 0.5, fontSize: 12 }}>
                        {formatDateTime(n.createdAt, locale)}
                      </Box>
                    </>
                  }
                  slotProps={{ primary: { sx: { fontWeight: n.readAt ? 400 : 600 } } }}
                />
              </ListItemButton>
            ))}
          </List>
        )}
        {page && page.total > page.items.length && (
          <Typography variant="caption" sx={{ display: 'block', px: 2, py: 1, color: 'text.secondary' }}>
            {translate('sf.notifications.more', { count: page.total - page.items.length })}
          </Typography>
        )}
      </Popover>
    </>
  );
};
