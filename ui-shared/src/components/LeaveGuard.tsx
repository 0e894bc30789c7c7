import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useBlocker, type BlockerFunction } from 'react-router-dom';

/** The LeaveGuards whose page part has unsaved edits now, and who wants to hear when that changes. */
const activeGuards = new Set<object>();
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/**
 * Whether the page shown has unsaved edits (a LeaveGuard holds): what would throw them away asks first — leaving the
 * page (UnsavedEditsPrompt) and the language switch, which remounts the whole app (LocaleSwitcher).
 */
export const hasUnsavedEdits = () => activeGuards.size > 0;

/**
 * Rendered by a page (or a part of one) that has edits of its own: while `when` holds they are unsaved, and leaving
 * asks first — an in-app navigation through the layout's UnsavedEditsPrompt, closing or reloading the tab through the
 * browser's own question (beforeunload). Any number may hold at once (e.g. 联系信息 and 提交重新认证 on one page).
 */
export const LeaveGuard = ({ when }: { when: boolean }) => {
  useEffect(() => {
    if (!when) return;
    const guard = {};
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = ''; // browsers that predate preventDefault() for beforeunload
    };
    activeGuards.add(guard);
    listeners.forEach((listener) => listener());
    window.addEventListener('beforeunload', warn);
    return () => {
      activeGuards.delete(guard);
      listeners.forEach((listener) => listener());
      window.removeEventListener('beforeunload', warn);
    };
  }, [when]);
  return null;
};

/**
 * The app's one navigation blocker (react-router runs one at a time), in the layout: an in-app navigation to another
 * path (menu, links, 返回, the browser's back button) while a LeaveGuard holds opens 离开此页面？ with 留在此页 /
 * 放弃修改并离开; a query string change on the same path is not asked about. Edits saved or discarded while the
 * question is open (a navigation in the handler that saved them) let the navigation go on. Needs the data router
 * (AppShell). data-testids: leave-dialog, leave-stay, leave-confirm.
 */
export const UnsavedEditsPrompt = () => {
  const translate = useTranslate();
  const unsaved = useSyncExternalStore(subscribe, hasUnsavedEdits);
  const shouldBlock = useCallback<BlockerFunction>(({ currentLocation, nextLocation }) => hasUnsavedEdits() && currentLocation.pathname !== nextLocation.pathname, []);
  const blocker = useBlocker(shouldBlock);
  useEffect(() => {
    if (blocker.state === 'blocked' && !unsaved) blocker.proceed();
  }, [blocker, unsaved]);
  return (
    <Dialog open={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} data-testid="leave-dialog">
      <DialogTitle>{translate('sf.leave.title')}</DialogTitle>
      <DialogContent>
        <DialogContentText>{translate('sf.leave.body')}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => blocker.reset?.()} autoFocus data-testid="leave-stay">
          {translate('sf.leave.stay')}
        </Button>
        <Button color="error" onClick={() => blocker.proceed?.()} data-testid="leave-confirm">
          {translate('sf.leave.leave')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
