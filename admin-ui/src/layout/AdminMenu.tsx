import { createElement } from 'react';
import { ListSubheader } from '@mui/material';
import { Menu, useSidebarState, useTranslate } from 'react-admin';
import { RESOURCES, type ConsoleResource } from '../resources';

const GROUPS: Array<ConsoleResource['group']> = ['platform'];

/** Menu built from RESOURCES, one titled section per group. */
export const AdminMenu = () => {
  const translate = useTranslate();
  const [open] = useSidebarState();
  return (
    <Menu>
      {GROUPS.map((group) => [
        open ? (
          <ListSubheader key={`${group}-header`} sx={{ bgcolor: 'transparent', lineHeight: '36px' }}>
            {translate(`admin.menu.${group}`)}
          </ListSubheader>
        ) : null,
        ...RESOURCES.filter((r) => r.group === group && r.list).map((r) => (
          <Menu.Item
            key={r.name}
            to={`/${r.name}`}
            primaryText={translate(`resources.${r.name}.name`, { smart_count: 2 })}
            leftIcon={createElement(r.icon)}
            data-testid={`menu-${r.name}`}
          />
        )),
      ])}
    </Menu>
  );
};
