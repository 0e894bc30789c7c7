import { createElement } from 'react';
import { ListSubheader } from '@mui/material';
import { Menu, usePermissions, useSidebarState, useTranslate } from 'react-admin';
import { useMe } from '../../../ui-shared/src/auth/useMe';
import type { Permissions } from '../../../ui-shared/src/types';
import { audiencesOf } from '../access';
import { GROUPS, MENU_ORDER, PAGES, RESOURCES, type MenuGroup } from '../resources';

interface Entry {
  name: string;
  group: MenuGroup;
  icon: React.ComponentType;
  label: string;
}

/** Menu built from RESOURCES and PAGES the user may see, one titled section per group. */
export const AdminMenu = () => {
  const translate = useTranslate();
  const [open] = useSidebarState();
  const { permissions } = usePermissions<Permissions>();
  const { me } = useMe();
  const audiences = audiencesOf(permissions);
  const entries: Entry[] = [
    ...RESOURCES.filter((r) => r.list && audiences.has(r.access)).map((r) => ({
      name: r.name,
      group: r.group,
      icon: r.icon,
      label: translate(`resources.${r.name}.name`, { smart_count: 2 }),
    })),
    ...PAGES.filter((p) => audiences.has(p.access)).map((p) => ({ name: p.name, group: p.group, icon: p.icon, label: translate(`admin.pages.${p.name}`) })),
  ].sort((a, b) => MENU_ORDER.indexOf(a.name) - MENU_ORDER.indexOf(b.name));
  const groupTitle = (group: MenuGroup) =>
    group === 'enterprise' && me?.acting ? `${translate('admin.menu.enterprise')} · ${me.acting.enterpriseName}` : translate(`admin.menu.${group}`);

  return (
    <Menu>
      {GROUPS.filter((g) => entries.some((e) => e.group === g)).map((group) => [
        open ? (
          <ListSubheader key={`${group}-header`} sx={{ bgcolor: 'transparent', lineHeight: '36px', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} data-testid={`menu-group-${group}`}>
            {groupTitle(group)}
          </ListSubheader>
        ) : null,
        ...entries
          .filter((e) => e.group === group)
          .map((e) => <Menu.Item key={e.name} to={`/${e.name}`} primaryText={e.label} leftIcon={createElement(e.icon)} data-testid={`menu-${e.name}`} />),
      ])}
    </Menu>
  );
};
