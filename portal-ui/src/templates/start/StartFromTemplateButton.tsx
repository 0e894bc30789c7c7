import { Button } from '@mui/material';
import PostAddIcon from '@mui/icons-material/PostAdd';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslate } from 'react-admin';
import { templateStartPath } from './templateStartPath';

/**
 * 从模板发起: on the 发起合同 page (no template: the picker) and on a row of the template list
 * (that template, already picked). `size`/`variant` follow the place it is shown in.
 */
export const StartFromTemplateButton = ({ templateId, size = 'medium', variant = 'outlined' }: { templateId?: string; size?: 'small' | 'medium'; variant?: 'text' | 'outlined' | 'contained' }) => {
  const translate = useTranslate();
  return (
    <Button
      component={RouterLink}
      to={templateStartPath(templateId)}
      size={size}
      variant={variant}
      startIcon={<PostAddIcon />}
      data-testid={templateId ? 'template-start-from-row' : 'create-from-template'}
      data-template-id={templateId}
    >
      {translate(templateId ? 'portal.templateStart.start_with' : 'portal.templateStart.entry')}
    </Button>
  );
};
