import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, CircularProgress, LinearProgress, Stack, TextField, Typography } from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import SaveIcon from '@mui/icons-material/Save';
import PublishIcon from '@mui/icons-material/Publish';
import PreviewIcon from '@mui/icons-material/Preview';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import ShareIcon from '@mui/icons-material/Share';
import { Title, useNotify, useTranslate } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../../ui-shared/src/components/ApiErrorAlert';
import { LeaveGuard } from '../../../../ui-shared/src/components/LeaveGuard';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import type { ContractOptions } from '../../contracts/create/contractOptions';
import type { Size } from '../../pdf/geometry';
import { LIBRARY_URL, type LibraryField } from '../library/libraryApi';
import { checkFields, checkInfo, checkRoles, checkTemplate, MAX_BUSINESS_TYPE, MAX_NAME, MAX_SCENARIO, type RuleErrors } from './definitionRules';
import { FieldTable } from './FieldTable';
import { PreviewDialog } from './PreviewDialog';
import { infoOf, reloadKeepingEdits, type TemplateInfo } from './reloadKeepingEdits';
import { RolesEditor } from './RolesEditor';
import { ShareDialog } from './ShareDialog';
import { getTemplate, previewTemplate, publishTemplate, replaceSource, sourceUrl, updateTemplate } from './templateApi';
import { templateRights, type TemplateDefinition, type TemplateView } from './types';
import { WebLayoutEditor } from './WebLayoutEditor';

type Info = TemplateInfo;
const orNull = (s: string) => (s.trim() ? s.trim() : null);
/** Someone saved the template after this page read it: every save / publish / replace sends the old version and is refused. */
const isVersionConflict = (e: unknown) => e instanceof ApiError && e.status === 409 && e.code === 'VERSION_CONFLICT';

/** Only the rules that hold for any saved draft; publishing checks everything (checkTemplate). */
function draftErrors(view: TemplateView, info: Info, def: TemplateDefinition): RuleErrors {
  const all = { ...checkInfo({ name: info.name, businessType: info.businessType, scenario: info.scenario }), ...checkFields(view.kind, def.fields, view.pages), ...checkRoles(view.kind, def) };
  // A draft may lack roles and main marks; everything else holds at every save (the server checks it then).
  const incomplete = new Set(['roles_required', 'person_mark_required', 'seal_mark_required']);
  return Object.fromEntries(Object.entries(all).filter(([, e]) => !incomplete.has(e.code)));
}

/**
 * A template: 模板信息, 正文字段 (Word: the tags found; Web: fields placed on the pages), 签署角色
 * with their marks (Word: 关键字定位; Web: placed on the pages), 保存 / 预览 / 发布, 替换文件, 共享.
 * Shares that are not editable and members without the console role see it view-only.
 * Someone else's save in between (409 VERSION_CONFLICT) offers 重新加载 (the latest version, the edits on
 * this page kept, so the next 保存 overwrites deliberately) or 放弃我的修改; leaving the page with unsaved
 * edits asks first (LeaveGuard: in-app navigation and closing the tab).
 */
export const TemplateEditPage = () => {
  const { id = '' } = useParams();
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const t = (key: string, opts?: object) => translate(`portal.templates.${key}`, opts);
  const [view, setView] = useState<TemplateView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [info, setInfo] = useState<Info>({ name: '', businessType: '', scenario: '' });
  const [definition, setDefinition] = useState<TemplateDefinition>({ fields: [], roles: [] });
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<RuleErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | 'save' | 'publish' | 'preview' | 'source' | 'reload'>(null);
  /** refused: a save was refused because the template changed meanwhile; reloaded: the latest version is read, the edits kept. */
  const [conflict, setConflict] = useState<null | 'refused' | 'reloaded'>(null);
  const [preview, setPreview] = useState<Blob | null>(null);
  const [sharing, setSharing] = useState(false);
  /** Changes only when the source file changes, so that saving does not reload the pages. */
  const [sourceVersion, setSourceVersion] = useState(0);
  const [pages, setPages] = useState<Size[] | null>(null);
  const options = useApiGet<ContractOptions>('/api/contracts/options');
  const library = useApiGet<{ data: LibraryField[] }>(view?.kind === 'web' ? LIBRARY_URL : null);

  const show = useCallback((v: TemplateView, sourceChanged: boolean) => {
    setView(v);
    setInfo(infoOf(v));
    setDefinition(v.definition);
    setDirty(false);
    setConflict(null);
    if (sourceChanged) setSourceVersion(v.version);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    getTemplate(id, controller.signal)
      .then((v) => show(v, true))
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setLoadError(errorMessage(e));
      });
    return () => controller.abort();
  }, [id, show]);

  if (loadError) {
    return (
      <Box sx={{ mt: 2 }}>
        <ApiErrorAlert error={loadError} testId="template-load-error" />
        <Button sx={{ mt: 2 }} startIcon={<ArrowBackIcon />} onClick={() => navigate('/templates')}>
          {t('back')}
        </Button>
      </Box>
    );
  }
  if (!view) return <LinearProgress sx={{ mt: 2 }} />;

  const rights = templateRights(view);
  const readOnly = rights.viewOnly || busy !== null;
  const pageSizes = view.pages ?? pages;
  const edit = (def: TemplateDefinition) => {
    setDefinition(def);
    setDirty(true);
  };
  const editInfo = (patch: Partial<Info>) => {
    setInfo((i) => ({ ...i, ...patch }));
    setDirty(true);
  };
  const errorText = (key: string) => (errors[key] ? t(`errors.${errors[key].code}`, errors[key].params) : undefined);

  /** Saves when there are changes; answers the saved view (or null if the rules or the server refused). */
  const save = async (): Promise<TemplateView | null> => {
    if (!dirty) return view;
    const found = draftErrors(view, info, definition);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setServerError(t('fix_errors'));
      return null;
    }
    const saved = await updateTemplate(view.id, { version: view.version, name: info.name.trim(), businessType: orNull(info.businessType), scenario: orNull(info.scenario), definition });
    show(saved, false);
    return saved;
  };

  /** A refused call's message; a version conflict also offers 重新加载 / 放弃我的修改. */
  const failed = (e: unknown) => {
    setServerError(errorMessage(e));
    setConflict((c) => (isVersionConflict(e) ? 'refused' : c === 'refused' ? null : c));
  };

  const run = async (what: 'save' | 'publish' | 'preview', action: () => Promise<void>) => {
    setBusy(what);
    setServerError(null);
    try {
      await action();
    } catch (e) {
      failed(e);
    } finally {
      setBusy(null);
    }
  };

  const onSave = () =>
    run('save', async () => {
      if ((await save()) && dirty) notify(t('saved'), { type: 'success' });
    });
  const onPreview = () =>
    run('preview', async () => {
      const saved = rights.edit ? await save() : view;
      if (saved) setPreview(await previewTemplate(saved.id));
    });
  const onPublish = () =>
    run('publish', async () => {
      const found = checkTemplate(view.kind, info, definition, pageSizes);
      setErrors(found);
      if (Object.keys(found).length > 0) {
        setServerError(t('fix_errors'));
        return;
      }
      const saved = await save();
      if (!saved) return;
      show(await publishTemplate(saved.id, saved.version), false);
      notify(t('published', { name: saved.name }), { type: 'success' });
    });
  const onSource = async (file: File | null) => {
    if (!file) return;
    setBusy('source');
    setServerError(null);
    try {
      const saved = dirty ? await save() : view;
      if (!saved) return;
      show(await replaceSource(saved.id, saved.version, file), true);
      notify(t('source_replaced'), { type: 'success' });
    } catch (e) {
      failed(e);
    } finally {
      setBusy(null);
    }
  };
  /**
   * After a version conflict: the latest version. `keepEdits` keeps what was edited on this page (reloadKeepingEdits:
   * still unsaved, so the next 保存 sends the latest version and overwrites the other change deliberately); otherwise
   * the latest version replaces the edits. The source file is read again too (the other change may have replaced it).
   */
  const reloadLatest = async (keepEdits: boolean) => {
    setBusy('reload');
    setServerError(null);
    try {
      const latest = await getTemplate(view.id);
      const kept = keepEdits && dirty ? reloadKeepingEdits(view, latest, info, definition) : null;
      if (kept?.dirty) {
        setView(latest);
        setInfo(kept.info);
        setDefinition(kept.definition);
        setErrors({});
        setSourceVersion(latest.version);
        setConflict('reloaded');
      } else {
        show(latest, true);
      }
    } catch (e) {
      setServerError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const spinner = (what: typeof busy) => (busy === what ? <CircularProgress size={18} color="inherit" /> : undefined);

  return (
    <Box sx={{ mt: 2, mb: 4 }} data-testid="template-edit-page" data-kind={view.kind} data-status={view.status} data-version={view.version} data-dirty={String(dirty)}>
      <Title title={view.name} />
      <LeaveGuard when={dirty} />
      <Stack direction="row" sx={{ gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
        <Button startIcon={<ArrowBackIcon />} onClick={() => navigate('/templates')} data-testid="template-back">
          {t('back')}
        </Button>
        <Typography variant="h6" sx={{ mr: 1 }}>
          {view.name}
        </Typography>
        <Chip size="small" label={t(`kinds.${view.kind}`)} />
        <Chip size="small" color={view.status === 'published' ? 'success' : 'default'} label={t(`statuses.${view.status}`)} data-testid="template-edit-status" data-status={view.status} />
        <Chip size="small" variant={view.enabled ? 'filled' : 'outlined'} color={view.enabled ? 'primary' : 'default'} label={view.enabled ? t('enabled_on') : t('enabled_off')} />
        {view.shared && <Chip size="small" color="info" variant="outlined" label={t('shared_from', { name: view.owner.name })} data-testid="template-shared-badge" />}
        <Box sx={{ flex: 1 }} />
        {rights.edit && (
          <>
            <Button component="label" startIcon={spinner('source') ?? <UploadFileIcon />} disabled={readOnly} data-testid="template-replace-source">
              {t('replace_source')}
              <input
                type="file"
                hidden
                accept={view.kind === 'word' ? '.docx' : 'application/pdf,.pdf'}
                data-testid="template-source-input"
                onChange={(e) => {
                  void onSource(e.target.files?.[0] ?? null);
                  e.target.value = '';
                }}
              />
            </Button>
            <Button variant="outlined" startIcon={spinner('save') ?? <SaveIcon />} disabled={readOnly || !dirty} onClick={() => void onSave()} data-testid="template-save">
              {t('save')}
            </Button>
          </>
        )}
        <Button variant="outlined" startIcon={spinner('preview') ?? <PreviewIcon />} disabled={busy !== null} onClick={() => void onPreview()} data-testid="template-preview">
          {t('preview')}
        </Button>
        {rights.edit && (
          <Button variant="contained" startIcon={spinner('publish') ?? <PublishIcon />} disabled={readOnly || (view.status === 'published' && !dirty)} onClick={() => void onPublish()} data-testid="template-publish">
            {t('publish')}
          </Button>
        )}
        {rights.own && (
          <Button startIcon={<ShareIcon />} onClick={() => setSharing(true)} data-testid="template-share-open">
            {t('share')}
          </Button>
        )}
      </Stack>
      {rights.viewOnly && (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="template-view-only">
          {view.shared ? t('view_only_shared', { name: view.owner.name }) : t('view_only_role')}
        </Alert>
      )}
      {view.status === 'published' && dirty && (
        <Alert severity="warning" sx={{ mb: 2 }} data-testid="template-republish-note">
          {t('republish_note')}
        </Alert>
      )}
      {conflict === 'refused' && serverError ? (
        <Alert
          severity="warning"
          role="alert"
          sx={{ mb: 2 }}
          data-testid="template-conflict"
          action={
            <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', justifyContent: 'flex-end' }}>
              <Button color="inherit" size="small" variant="outlined" disabled={busy !== null} onClick={() => void reloadLatest(true)} data-testid="template-reload">
                {t('conflict_reload')}
              </Button>
              {dirty && (
                <Button color="inherit" size="small" disabled={busy !== null} onClick={() => void reloadLatest(false)} data-testid="template-discard">
                  {t('conflict_discard')}
                </Button>
              )}
            </Stack>
          }
        >
          <span data-testid="template-error">{serverError}</span>
          {dirty && (
            <Typography variant="body2" sx={{ mt: 0.5 }}>
              {t('conflict_hint')}
            </Typography>
          )}
        </Alert>
      ) : (
        <ApiErrorAlert error={serverError} testId="template-error" sx={{ mb: 2 }} />
      )}
      {conflict === 'reloaded' && !serverError && (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="template-conflict-reloaded">
          {t('conflict_reloaded')}
        </Alert>
      )}

      <Card sx={{ mb: 2 }}>
        <CardHeader title={t('section_info')} titleTypographyProps={{ variant: 'subtitle1' }} />
        <CardContent sx={{ pt: 0 }}>
          <Stack direction="row" sx={{ gap: 2, flexWrap: 'wrap' }}>
            <TextField fullWidth={false} size="small" required label={t('name')} value={info.name} disabled={readOnly} onChange={(e) => editInfo({ name: e.target.value })} error={!!errors['info.name']} helperText={errorText('info.name')} slotProps={{ htmlInput: { 'data-testid': 'template-edit-name', maxLength: MAX_NAME } }} sx={{ minWidth: 280 }} />
            <TextField fullWidth={false} size="small" label={t('business_type')} value={info.businessType} disabled={readOnly} onChange={(e) => editInfo({ businessType: e.target.value })} error={!!errors['info.businessType']} helperText={errorText('info.businessType')} slotProps={{ htmlInput: { 'data-testid': 'template-edit-business-type', maxLength: MAX_BUSINESS_TYPE } }} />
            <TextField fullWidth={false} size="small" label={t('scenario')} value={info.scenario} disabled={readOnly} onChange={(e) => editInfo({ scenario: e.target.value })} error={!!errors['info.scenario']} helperText={errorText('info.scenario')} slotProps={{ htmlInput: { 'data-testid': 'template-edit-scenario', maxLength: MAX_SCENARIO } }} />
          </Stack>
          {view.kind === 'word' && (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 1.5 }} data-testid="template-tags">
              {t('tags_found', { smart_count: view.tags?.length ?? 0, tags: (view.tags ?? []).map((tag) => `{${tag}}`).join(' ') })}
            </Typography>
          )}
        </CardContent>
      </Card>

      <Card sx={{ mb: 2 }}>
        <CardHeader title={t('section_fields')} subheader={t(`fields_hint.${view.kind}`)} titleTypographyProps={{ variant: 'subtitle1' }} />
        <CardContent sx={{ pt: 0, overflowX: 'auto' }}>
          <FieldTable
            kind={view.kind}
            fields={definition.fields}
            errors={errors}
            disabled={readOnly}
            onChange={(i, patch) => {
              const before = definition.fields[i]!;
              const fields = definition.fields.map((f, k) => (k === i ? { ...f, ...patch } : f));
              // A renamed key carries the 金额大写 fields spelled out from it.
              const renamed = patch.key !== undefined && patch.key !== before.key ? fields.map((f) => (f.derivedFrom === before.key ? { ...f, derivedFrom: patch.key! } : f)) : fields;
              edit({ ...definition, fields: renamed });
            }}
            onRemove={view.kind === 'web' ? (i) => edit({ ...definition, fields: definition.fields.filter((_, k) => k !== i).map((f) => (f.derivedFrom === definition.fields[i]!.key ? { ...f, derivedFrom: null } : f)) }) : undefined}
          />
        </CardContent>
      </Card>

      <Card sx={{ mb: 2 }}>
        <CardHeader title={t('section_roles')} subheader={t(`roles_hint.${view.kind}`)} titleTypographyProps={{ variant: 'subtitle1' }} />
        <CardContent sx={{ pt: 0 }}>
          <RolesEditor kind={view.kind} roles={definition.roles} errors={errors} disabled={readOnly} sealTypes={options.data?.sealTypes ?? []} onChange={(roles) => edit({ ...definition, roles })} />
        </CardContent>
      </Card>

      {view.kind === 'web' && (
        // overflow visible: the editor's palette sticks to the window while the pages scroll.
        <Card sx={{ mb: 2, overflow: 'visible' }}>
          <CardHeader title={t('section_layout')} titleTypographyProps={{ variant: 'subtitle1' }} />
          <CardContent sx={{ pt: 0 }}>
            {options.data ? (
              <WebLayoutEditor
                source={sourceUrl(view.id, sourceVersion)}
                definition={definition}
                options={options.data}
                library={library.data?.data ?? []}
                disabled={readOnly}
                onChange={edit}
                onPagesLoaded={setPages}
              />
            ) : (
              <ApiErrorAlert error={options.error ? errorMessage(options.error) : null} />
            )}
          </CardContent>
        </Card>
      )}
      {preview && <PreviewDialog pdf={preview} name={view.name} onClose={() => setPreview(null)} />}
      {sharing && <ShareDialog template={view} onClose={() => setSharing(false)} />}
    </Box>
  );
};
