import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, ToggleButton, ToggleButtonGroup } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { hasUnsavedEdits } from './LeaveGuard';

/**
 * 中文 | EN switch; react-admin remounts the app, the choice is persisted by the i18nProvider. With unsaved edits on
 * the page (a LeaveGuard holds) it asks first: the remount throws them away.
 * data-testids: locale-switch, locale-zh-CN, locale-en, locale-dialog, locale-stay, locale-confirm.
 */
export const LocaleSwitcher = () => {
  const [locale, setLocale] = useLocaleState();
  const translate = useTranslate();
  /** The language asked for while the page has unsaved edits. */
  const [pending, setPending] = useState<string | null>(null);
  const choose = (value: string | null) => {
    if (!value || value === locale) return;
    if (hasUnsavedEdits()) setPending(value);
    else setLocale(value);
  };
  return (
    <>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={locale}
        onChange={(_, value: string | null) => choose(value)}
        data-testid="locale-switch"
        aria-label={translate('sf.common.language')}
        sx={{
          mx: 1,
          '& .MuiToggleButton-root': { color: 'inherit', py: 0.25, px: 1, borderColor: 'currentColor', opacity: 0.7 },
          '& .MuiToggleButton-root.Mui-selected': { color: 'inherit', opacity: 1, fontWeight: 600, bgcolor: 'rgba(127, 127, 127, 0.3)' },
        }}
      >
        <ToggleButton value="zh-CN" data-testid="locale-zh-CN" lang="zh-CN">
          中文
        </ToggleButton>
        <ToggleButton value="en" data-testid="locale-en" lang="en">
          EN
        </ToggleButton>
      </ToggleButtonGroup>
      <Dialog open={pending !== null} onClose={() => setPending(null)} data-testid="locale-dialog">
        <DialogTitle>{translate('sf.leave.locale_title')}</DialogTitle>
        <DialogContent>
          <DialogContentText>{translate('sf.leave.locale_body')}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setPending(null)} autoFocus data-testid="locale-stay">
            {translate('ra.action.cancel')}
          </Button>
          <Button
            color="error"
            onClick={() => {
              const value = pending;
              setPending(null);
              if (value) setLocale(value);
            }}
            data-testid="locale-confirm"
          >
            {translate('sf.leave.locale_switch')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
