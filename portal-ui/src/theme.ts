import { defaultTheme, type RaThemeOptions } from 'react-admin';

const CJK_FONTS = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Helvetica Neue", Arial, sans-serif';

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: { primary: { main: '#c62828' }, secondary: { main: '#37474f' } },
  typography: { fontFamily: CJK_FONTS },
};
