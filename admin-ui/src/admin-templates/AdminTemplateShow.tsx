import type { ReactNode } from 'react';
import { Box, Card, CardContent, Chip, Grid, List, ListItem, ListItemText, Typography } from '@mui/material';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { formatDateTime } from '../../../ui-shared/src/format';
import { DetailField, type DetailFieldProps } from '../detail/DetailField';
import { DetailHeading } from '../detail/DetailHeading';
import { RecordShow } from '../detail/RecordShow';
import { TemplateStateChips } from './TemplateChips';
import { TemplateStateButton } from './TemplateStateButton';
import type { AdminTemplate, AdminTemplateDetail } from './types';

const Item = (props: DetailFieldProps) => <DetailField sx={{ mb: 1.5 }} breakAll {...props} />;

const Section = ({ title, empty, children }: { title: string; empty: string | null; children: ReactNode }) => (
  <Box sx={{ mb: 2 }}>
    <Typography variant="subtitle1">{title}</Typography>
    {empty ? (
      <Typography variant="body2" color="text.secondary">
        {empty}
      </Typography>
    ) : (
      <List dense disablePadding>
        {children}
      </List>
    )}
  </Box>
);

const TemplateDetail = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const r = useRecordContext<AdminTemplateDetail | AdminTemplate>();
  // Until GET /admin/templates/:id answers, the record may be the list's row (no definition nor shares).
  if (!r || !('definition' in r) || !('shares' in r)) return null;
  const f = (name: string) => translate(`resources.admin-templates.fields.${name}`);
  const t = (key: string, options?: Record<string, unknown>) => translate(`adminTemplates.${key}`, options);
  const { fields, roles } = r.definition;
  return (
    <Grid container spacing={2} sx={{ mt: 1 }} data-testid="admin-template-show" data-id={r.id} data-enabled={String(r.enabled)}>
      <Grid size={{ xs: 12, md: 5 }}>
        <Card>
          <CardContent>
            <DetailHeading title={r.name} titleTestId="admin-template-name">
              <TemplateStateChips size="medium" />
            </DetailHeading>
            <Item label={f('owner')} testId="admin-template-owner">
              {r.owner.name || '—'} · {t(`owner_type.${r.owner.type}`)}
            </Item>
            <Item label={f('kind')}>{t(`kind.${r.kind}`)}</Item>
            <Item label={f('businessType')}>{r.businessType || '—'}</Item>
            <Item label={f('scenario')}>{r.scenario || '—'}</Item>
            <Item label={f('version')}>{r.version}</Item>
            <Item label={f('createdAt')}>{formatDateTime(r.createdAt, locale)}</Item>
            <Item label={f('updatedAt')}>{formatDateTime(r.updatedAt, locale)}</Item>
            {r.publishedAt && <Item label={f('publishedAt')}>{formatDateTime(r.publishedAt, locale)}</Item>}
            <Typography variant="body2" color="text.secondary" sx={{ mt: 2, mb: 1 }}>
              {t('state_hint')}
            </Typography>
            <TemplateStateButton template={r} />
          </CardContent>
        </Card>
      </Grid>
      <Grid size={{ xs: 12, md: 7 }}>
        <Card>
          <CardContent>
            <Section title={t('fields')} empty={fields.length ? null : t('no_fields')}>
              {fields.map((field) => (
                <ListItem key={field.key} disableGutters>
                  <ListItemText primary={field.label} secondary={field.type} />
                  {field.required && <Chip size="small" label={t('required')} />}
                </ListItem>
              ))}
            </Section>
            <Section title={t('roles')} empty={roles.length ? null : t('no_roles')}>
              {roles.map((role) => (
                <ListItem key={role.id} disableGutters>
                  <ListItemText primary={role.name} secondary={`${t(`role_kind.${role.kind}`)} · ${t('step', { step: role.step })}`} />
                </ListItem>
              ))}
            </Section>
            <Section title={`${t('shares')} · ${r.sharesCount}`} empty={r.shares.length ? null : t('no_shares')}>
              {r.shares.map((s) => (
                <ListItem key={s.enterpriseId} disableGutters data-testid="admin-template-share">
                  <ListItemText primary={s.enterpriseName} secondary={formatDateTime(s.createdAt, locale)} />
                  <Chip size="small" variant="outlined" label={t(s.editable ? 'editable' : 'read_only')} />
                </ListItem>
              ))}
            </Section>
          </CardContent>
        </Card>
      </Grid>
    </Grid>
  );
};

/** 模板详情 (operators): owner, state, fields, roles and shares; 停用 / 启用 with a reason. */
export const AdminTemplateShow = () => (
  <RecordShow titleField="name" titleFallbackKey="adminTemplates.detail" shrinkable>
    <TemplateDetail />
  </RecordShow>
);
