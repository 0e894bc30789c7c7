import { ToggleButton, ToggleButtonGroup } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { confirmDiscardEdits } from './LeaveGuard';

/**
 * 中文 | EN switch; react-admin remounts the app, the choice is persisted by the i18nProvider. With unsaved edits on
 * the page (a LeaveGuard holds) it asks first (切换语言？): the remount throws them away.
 */
export const LocaleSwitcher = () => {
  const [locale, setLocale] = useLocaleState();
  const translate = useTranslate();
  const choose = async (value: string | null) => {
    if (!value || value === locale) return;
    if (await confirmDiscardEdits('locale')) setLocale(value);
  };
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={locale}
      onChange={(_, value: string | null) => void choose(value)}
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
  );
};
