import { useState } from 'react';
import { useNotify } from 'react-admin';
import { switchActing } from '../../../ui-shared/src/auth/session';
import { confirmDiscardEdits } from '../../../ui-shared/src/components/LeaveGuard';
import { errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';

/**
 * Opens a page of the enterprise console (admin-ui) as the given enterprise: switches the session's acting identity to
 * it first (the console shows the acting enterprise). `busy` while switching; a refusal is shown as a notice.
 */
export function useOpenConsole(enterpriseId: string, page: string) {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const open = async () => {
    if (!(await confirmDiscardEdits('identity'))) return;
    setBusy(true);
    try {
      await switchActing(enterpriseId);
      window.location.assign(page);
    } catch (err) {
      notify(errorMessage(err), { type: 'error' });
      setBusy(false);
    }
  };
  return { open, busy };
}
