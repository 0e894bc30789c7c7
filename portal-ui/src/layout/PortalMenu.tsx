import { Badge, ListSubheader } from '@mui/material';
import AssignmentLateIcon from '@mui/icons-material/AssignmentLate';
import HourglassTopIcon from '@mui/icons-material/HourglassTop';
import TaskAltIcon from '@mui/icons-material/TaskAlt';
import BlockIcon from '@mui/icons-material/Block';
import ForwardToInboxIcon from '@mui/icons-material/ForwardToInbox';
import NoteAddIcon from '@mui/icons-material/NoteAdd';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import AccountCircleIcon from '@mui/icons-material/AccountCircle';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import BusinessIcon from '@mui/icons-material/Business';
import DrawIcon from '@mui/icons-material/Draw';
import DescriptionIcon from '@mui/icons-material/Description';
import ViewListIcon from '@mui/icons-material/ViewList';
import type { ReactElement } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Menu, useSidebarState, useTranslate } from 'react-admin';
import { BOXES, boxPath, type Box } from '../contracts/boxes';
import { fetchBoxCounts } from '../contracts/list/listApi';

const BOX_ICONS: Record<Box, ReactElement> = {
  todo: <AssignmentLateIcon />,
  waiting: <HourglassTopIcon />,
  completed: <TaskAltIcon />,
  voided: <BlockIcon />,
  cc: <ForwardToInboxIcon />,
};

/** Number of contracts waiting for my signature (GET /contracts/counts), shown on 待我签署. */
const TodoBadge = ({ children }: { children: ReactElement }) => {
  // Key under 'contracts' so that react-admin's refresh (after signing) re-reads it.
  const { data } = useQuery({ queryKey: ['contracts', 'counts'], queryFn: ({ signal }) => fetchBoxCounts(signal) });
  return (
    <Badge badgeContent={data?.todo ?? 0} color="error" max={99} data-testid="menu-todo-count">
      {children}
    </Badge>
  );
};

const GroupHeader = ({ label }: { label: string }) => {
  const [open] = useSidebarState();
  return open ? <ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '36px' }}>{label}</ListSubheader> : null;
};

export const PortalMenu = () => {
  const translate = useTranslate();
  const boxItem = (box: Box) => (
    <Menu.Item
      key={box}
      to={boxPath(box)}
      primaryText={translate(`portal.menu.${box}`)}
      leftIcon={box === 'todo' ? <TodoBadge>{BOX_ICONS[box]}</TodoBadge> : BOX_ICONS[box]}
      data-testid={`menu-${box}`}
    />
  );
  return (
    <Menu>
      {BOXES.map(boxItem)}
      <Menu.Item to="/contracts/create" primaryText={translate('portal.menu.create')} leftIcon={<NoteAddIcon />} data-testid="menu-create" />
      <Menu.Item to="/verify" primaryText={translate('portal.menu.verify')} leftIcon={<FactCheckIcon />} data-testid="menu-verify" />
      <GroupHeader label={translate('portal.menu.templates')} />
      <Menu.Item to="/templates" primaryText={translate('portal.menu.template_files')} leftIcon={<DescriptionIcon />} data-testid="menu-templates" />
      <Menu.Item to="/template-fields" primaryText={translate('portal.menu.template_fields')} leftIcon={<ViewListIcon />} data-testid="menu-template-fields" />
      <GroupHeader label={translate('portal.menu.user_center')} />
      <Menu.Item to="/profile" primaryText={translate('portal.menu.profile')} leftIcon={<AccountCircleIcon />} data-testid="menu-profile" />
      <Menu.Item to="/real-name" primaryText={translate('portal.menu.real_name')} leftIcon={<VerifiedUserIcon />} data-testid="menu-real-name" />
      <Menu.Item to="/signatures" primaryText={translate('portal.menu.signatures')} leftIcon={<DrawIcon />} data-testid="menu-signatures" />
      <Menu.Item to="/my-enterprises" primaryText={translate('portal.menu.my_enterprises')} leftIcon={<BusinessIcon />} data-testid="menu-my-enterprises" />
    </Menu>
  );
};
