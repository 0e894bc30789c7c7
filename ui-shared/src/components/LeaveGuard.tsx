import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useBlocker, type BlockerFunction } from 'react-router-dom';

/** What throws unsaved edits away: leaving the page, switching the language or the acting identity. */
export type DiscardReason = 'leave' | 'locale' | 'identity';

/** The LeaveGuards whose page part has unsaved edits now, the question asked about them, and who listens. */
const activeGuards = new Set<object>();
let question: { reason: DiscardReason; answer: (discard: boolean) => void } | null = null;
/** Set once the user chose to discard: a full-page navigation that follows is not asked about again (beforeunload). */
let discarding = false;
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((listener) => listener());
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** Whether the page shown has unsaved edits (a LeaveGuard holds). */
const hasUnsavedEdits = () => activeGuards.size > 0;

/**
 * Asks whether to throw the page's unsaved edits away for `reason` (the layout's UnsavedEditsPrompt shows the question);
 * true at once when there are none. Called before anything that remounts or leaves the page without a router
 * navigation: the language switch (react-admin remounts the app), switching the acting identity, `location.assign`.
 */
export function confirmDiscardEdits(reason: DiscardReason): Promise<boolean> {
  if (!hasUnsavedEdits()) return Promise.resolve(true);
  question?.answer(false);
  return new Promise((resolve) => {
    question = {
      reason,
      answer: (discard) => {
        question = null;
        discarding = discard;
        changed();
        resolve(discard);
      },
    };
    changed();
  });
}

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
      if (discarding) return;
      event.preventDefault();
      event.returnValue = ''; // browsers that predate preventDefault() for beforeunload
    };
    activeGuards.add(guard);
    discarding = false;
    changed();
    window.addEventListener('beforeunload', warn);
    return () => {
      activeGuards.delete(guard);
      changed();
      window.removeEventListener('beforeunload', warn);
    };
  }, [when]);
  return null;
};

const TEXTS: Record<DiscardReason, { title: string; body: string; discard: string }> = {
  leave: { title: 'sf.leave.title', body: 'sf.leave.body', discard: 'sf.leave.leave' },
  locale: { title: 'sf.leave.locale_title', body: 'sf.leave.locale_body', discard: 'sf.leave.locale_switch' },
  identity: { title: 'sf.leave.identity_title', body: 'sf.leave.identity_body', discard: 'sf.leave.identity_switch' },
};

/**
 * The app's one navigation blocker (react-router runs one at a time), in the layout: an in-app navigation to another
 * path (menu, links, 返回, the browser's back button) while a LeaveGuard holds opens 离开此页面？ with 留在此页 /
 * 放弃修改并离开; a query string change on the same path is not asked about, nor the way to the login page (the
 * session has ended). Edits saved or discarded while the question is open (a navigation in the handler that saved
 * them) let the navigation go on. Also shows confirmDiscardEdits' questions. Needs the data router (AppShell).
 * data-testids: leave-dialog, leave-stay, leave-confirm.
 */
export const UnsavedEditsPrompt = () => {
  const translate = useTranslate();
  const unsaved = useSyncExternalStore(subscribe, hasUnsavedEdits);
  const asked = useSyncExternalStore(subscribe, () => question);
  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => hasUnsavedEdits() && currentLocation.pathname !== nextLocation.pathname && nextLocation.pathname !== '/login',
    [],
  );
  const blocker = useBlocker(shouldBlock);
  useEffect(() => {
    if (blocker.state === 'blocked' && !unsaved) blocker.proceed();
    if (asked && !unsaved) asked.answer(true);
  }, [blocker, asked, unsaved]);
  const blocked = blocker.state === 'blocked';
  const texts = TEXTS[blocked ? 'leave' : (asked?.reason ?? 'leave')];
  const stay = () => (blocked ? blocker.reset?.() : asked?.answer(false));
  const discard = () => (blocked ? blocker.proceed?.() : asked?.answer(true));
  return (
    <Dialog open={blocked || asked !== null} onClose={stay} data-testid="leave-dialog">
      <DialogTitle>{translate(texts.title)}</DialogTitle>
      <DialogContent>
        <DialogContentText>{translate(texts.body)}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={stay} autoFocus data-testid="leave-stay">
          {translate('sf.leave.stay')}
        </Button>
        <Button color="error" onClick={discard} data-testid="leave-confirm">
          {translate(texts.discard)}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
