import { useCallback, useEffect, useRef } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useBlocker, type BlockerFunction } from 'react-router-dom';

/** The LeaveGuards whose page has unsaved edits now. */
const activeGuards = new Set<object>();

/**
 * Whether a page shown has unsaved edits (a LeaveGuard holds): what else would throw them away asks first — the
 * language switch, which remounts the whole app (LocaleSwitcher).
 */
export const hasUnsavedEdits = () => activeGuards.size > 0;

/**
 * While `when` holds (a page has unsaved edits), leaving the page asks first: an in-app navigation
 * (menu, links, 返回, the browser's back button) opens 离开此页面？ with 留在此页 / 放弃修改并离开, and
 * closing or reloading the tab gets the browser's own question (beforeunload). A navigation that
 * stays on the same path (a query string change) is not asked about.
 * Needs the apps' data router (AppShell); one per page (react-router runs one blocker at a time: a page with several
 * editable parts passes their union). data-testids: leave-dialog, leave-stay, leave-confirm.
 */
export const LeaveGuard = ({ when }: { when: boolean }) => {
  const translate = useTranslate();
  useEffect(() => {
    if (!when) return;
    const guard = {};
    activeGuards.add(guard);
    return () => void activeGuards.delete(guard);
  }, [when]);
  // Read at navigation time, as of the latest render: a navigation in the same handler that cleared `when` is held
  // until that render, then let through (below).
  const guarding = useRef(when);
  guarding.current = when;
  const shouldBlock = useCallback<BlockerFunction>(({ currentLocation, nextLocation }) => guarding.current && currentLocation.pathname !== nextLocation.pathname, []);
  const blocker = useBlocker(shouldBlock);

  useEffect(() => {
    if (!when) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = ''; // browsers that predate preventDefault() for beforeunload
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [when]);

  // The edits were saved or discarded while the question was open: let the navigation go on.
  useEffect(() => {
    if (blocker.state === 'blocked' && !when) blocker.proceed();
  }, [blocker, when]);

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
