import { ToggleButton, ToggleButtonGroup } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';

/** 中文 | EN switch; react-admin re-renders the app, the choice is persisted by the i18nProvider. */
export const LocaleSwitcher = () => {
  const [locale, setLocale] = useLocaleState();
  const translate = useTranslate();
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={locale}
      onChange={(_, value: string | null) => value && setLocale(value)}
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
