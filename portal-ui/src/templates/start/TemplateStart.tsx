import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, Chip, CircularProgress, Stack, Step, StepLabel, Stepper, Typography } from '@mui/material';
import SendIcon from '@mui/icons-material/Send';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { Title, useNotify, useRedirect, useTranslate } from 'react-admin';
import { ApiError } from '../../../../ui-shared/src/api/apiFetch';
import { useMe } from '../../../../ui-shared/src/auth/useMe';
import { clearDraft, getDraft, setDraft } from '../../../../ui-shared/src/drafts';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import { RealNameRequired } from '../../account/RealNameRequired';
import type { ContractOptions } from '../../contracts/create/contractOptions';
import { DetailsStep } from '../../contracts/create/DetailsStep';
import { defaultExpiry, type FieldErrors, type ParticipantDraft } from '../../contracts/create/wizardModel';
import { FieldsStep } from './FieldsStep';
import { PreviewStep } from './PreviewStep';
import { RolesStep } from './RolesStep';
import { draftForForm, emptyDraft, fieldNamedIn, rawValues, toStartRequest, validateFields, validateRoleParticipants, validateStartDetails, type StartDetails, type StartDraft } from './startModel';
import { startFromTemplate } from './templateApi';
import { TemplatePicker } from './TemplatePicker';
import type { TemplateForm } from './types';

const DRAFT_KEY = 'portal.template-start.v1';
const STEPS = ['template', 'fields', 'roles', 'details', 'preview'] as const;
type StartStep = (typeof STEPS)[number];

/** The errors without those of the given keys (a field being edited is no longer marked). */
const withoutKeys = (errors: FieldErrors, keys: string[]): FieldErrors => Object.fromEntries(Object.entries(errors).filter(([k]) => !keys.includes(k)));

interface PageState {
  draft: StartDraft;
  step: number;
}

/**
 * 从模板发起: 1 pick a usable template → 2 fill its fields (checked with the server's rule) →
 * 3 name the party of each role → 4 title, 合同编号, 备注, expiry, 发起身份, 抄送 (the 发起合同 wizard's
 * step) → 5 preview the generated document → POST /api/contracts/from-template (Idempotency-Key),
 * then the contract page, where signing goes on as for any contract.
 */
export const TemplateStart = () => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.templateStart.${key}`, opts);
  const tc = (key: string, opts?: object) => translate(`portal.contracts.create.${key}`, opts);
  const notify = useNotify();
  const redirect = useRedirect();
  const { me } = useMe();
  const [params] = useSearchParams();
  const asked = params.get('template');
  const options = useApiGet<ContractOptions>('/api/contracts/options');
  // The draft survives the remount caused by switching the language.
  const [state, setState] = useState<PageState>(() => {
    const saved = getDraft<PageState>(DRAFT_KEY);
    if (saved && (!asked || saved.draft.templateId === asked)) return saved;
    return { draft: emptyDraft(asked), step: asked ? 1 : 0 };
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<{ message: string; code?: string } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  useEffect(() => setDraft(DRAFT_KEY, state), [state]);

  const { draft, step } = state;
  const current: StartStep = STEPS[step] ?? 'template';
  const form = useApiGet<TemplateForm>(draft.templateId ? `/api/templates/${encodeURIComponent(draft.templateId)}/form` : null);
  const loaded = form.data && form.data.id === draft.templateId ? form.data : undefined;
  const acting = me?.acting ?? null;
  const actAs = draft.details.actAs ?? (acting ? 'enterprise' : 'person');

  const patchDraft = useCallback((patch: Partial<StartDraft>) => setState((s) => ({ ...s, draft: { ...s.draft, ...patch } })), []);
  const goTo = (next: number) => {
    setErrors({});
    setFailure(null);
    setState((s) => ({ ...s, step: next }));
    window.scrollTo({ top: 0 });
  };

  // A newly loaded form: default values and one participant per role (kept if it is the same template).
  useEffect(() => {
    if (loaded && draft.formId !== loaded.id) setState((s) => ({ ...s, draft: draftForForm(loaded, s.draft) }));
  }, [loaded, draft.formId]);

  const defaultDays = options.data?.defaultExpiryDays;
  useEffect(() => {
    if (defaultDays && !draft.details.expiresAt) setState((s) => ({ ...s, draft: { ...s.draft, details: { ...s.draft.details, expiresAt: defaultExpiry(defaultDays) } } }));
  }, [defaultDays, draft.details.expiresAt]);

  const pick = (id: string) => {
    setErrors({});
    setFailure(null);
    setState((s) => (s.draft.templateId === id ? { ...s, step: 1 } : { draft: { ...emptyDraft(id), details: { ...s.draft.details, title: '' } }, step: 1 }));
  };

  const check = (which: StartStep): boolean => {
    let found: FieldErrors = {};
    if (which === 'template' && !draft.templateId) found = { template: 'template_required' };
    if (which === 'fields') found = loaded ? validateFields(loaded.fields, draft.values) : { template: 'template_required' };
    if (which === 'roles') found = validateRoleParticipants(draft.participants);
    if (which === 'details') found = validateStartDetails(draft.details);
    setErrors(found);
    return Object.keys(found).length === 0;
  };

  const next = () => {
    if (!check(current)) {
      setFailure({ message: tc('errors.step_invalid') });
      return;
    }
    goTo(step + 1);
  };

  /** A refusal from the API: a field it names is marked in the form (and the form shown); anything else is said as is. */
  const showFailure = useCallback(
    (e: Error) => {
      const code = e instanceof ApiError ? e.code : undefined;
      setFailure({ message: e.message, code });
      const field = loaded && code === 'TEMPLATE_FIELD_INVALID' ? fieldNamedIn(loaded.fields, e.message) : null;
      if (field) {
        setErrors({ [field.key]: e.message });
        setState((s) => ({ ...s, step: STEPS.indexOf('fields') }));
      }
    },
    [loaded],
  );

  const submit = async () => {
    if (!loaded) return;
    for (const [index, which] of STEPS.entries()) {
      if (which === 'preview') continue;
      if (!check(which)) {
        setState((s) => ({ ...s, step: index }));
        setFailure({ message: tc('errors.step_invalid') });
        return;
      }
    }
    setSubmitting(true);
    setFailure(null);
    try {
      const id = await startFromTemplate(toStartRequest(loaded, draft, actAs), draft.idempotencyKey);
      clearDraft(DRAFT_KEY);
      notify(tc('success'), { type: 'success' });
      redirect('show', 'contracts', id);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      showFailure(error);
      notify(error.message, { type: 'error' });
      setSubmitting(false);
    }
  };

  const formError = form.error && !loaded ? form.error : null;
  const body = () => {
    if (current === 'template') return <TemplatePicker selected={draft.templateId} onPick={pick} disabled={submitting} />;
    if (formError) {
      return (
        <Alert severity="error" data-testid="template-start-error" data-code={formError instanceof ApiError ? formError.code : undefined} role="alert">
          {formError.message}
        </Alert>
      );
    }
    if (!loaded || draft.formId !== loaded.id || !options.data) return <CircularProgress />;
    switch (current) {
      case 'fields':
        return (
          <FieldsStep
            fields={loaded.fields}
            values={draft.values}
            errors={errors}
            onChange={(key, value) => {
              patchDraft({ values: { ...draft.values, [key]: value } });
              setErrors((old) => withoutKeys(old, [key]));
            }}
            onCheck={(key) => {
              const field = loaded.fields.filter((f) => f.key === key);
              const found = validateFields(field, draft.values);
              setErrors((old) => (found[key] ? { ...old, [key]: found[key] } : withoutKeys(old, [key])));
            }}
            disabled={submitting}
          />
        );
      case 'roles':
        return (
          <RolesStep
            roles={loaded.roles}
            participants={draft.participants}
            errors={errors}
            onChange={(roleId, patch: Partial<ParticipantDraft>) => {
              patchDraft({ participants: draft.participants.map((p) => (p.key === roleId ? { ...p, ...patch } : p)) });
              setErrors((old) => withoutKeys(old, Object.keys(patch).map((field) => `${roleId}.${field}`)));
            }}
            disabled={submitting}
          />
        );
      case 'details':
        return (
          <DetailsStep
            values={{ ...draft.details, actAs }}
            errors={errors}
            actingEnterpriseName={acting?.enterpriseName ?? null}
            onChange={(patch: Partial<StartDetails>) => patchDraft({ details: { ...draft.details, ...patch } })}
            disabled={submitting}
          />
        );
      case 'preview':
        return <PreviewStep templateId={loaded.id} values={rawValues(loaded.fields, draft.values)} onError={showFailure} />;
    }
  };

  return (
    <Box sx={{ maxWidth: current === 'preview' ? 1100 : 900, mt: 1 }}>
      <Title title={t('title')} />
      <RealNameRequired actionKey="portal.templateStart.title" />
      <Card data-testid="template-start" data-step={current} data-template-id={draft.templateId ?? undefined}>
        <CardContent>
          <Stack direction="row" sx={{ alignItems: 'center', mb: 2, gap: 1, flexWrap: 'wrap' }}>
            <Typography variant="h5" sx={{ flex: 1 }}>
              {t('title')}
            </Typography>
            <Button component={RouterLink} to="/contracts/create" size="small" data-testid="template-start-upload-link">
              {t('upload_instead')}
            </Button>
          </Stack>
          <Stepper activeStep={step} alternativeLabel sx={{ mb: 3 }}>
            {STEPS.map((s) => (
              <Step key={s}>
                <StepLabel>{t(`steps.${s}`)}</StepLabel>
              </Step>
            ))}
          </Stepper>
          {current !== 'template' && (loaded ?? form.data) && (
            <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mb: 2 }} data-testid="template-start-chosen">
              <Typography variant="body2" color="text.secondary">
                {t('chosen')}
              </Typography>
              <Chip label={(loaded ?? form.data)?.name} size="small" color="primary" variant="outlined" />
            </Stack>
          )}
          <Typography variant="h6" sx={{ mb: 2 }}>
            {t(`steps.${current}`)}
          </Typography>
          {body()}
          {errors.template && current === 'template' && (
            <Alert severity="error" sx={{ mt: 2 }}>
              {t(`errors.${errors.template}`)}
            </Alert>
          )}
          {failure && (
            <Alert severity="error" data-testid="template-start-error" data-code={failure.code} role="alert" sx={{ mt: 2 }}>
              {failure.message}
            </Alert>
          )}
          <Box sx={{ display: 'flex', gap: 2, mt: 3, justifyContent: 'space-between' }}>
            <Button onClick={() => goTo(step - 1)} disabled={step === 0 || submitting} data-testid="template-start-back">
              {tc('back')}
            </Button>
            {current === 'preview' ? (
              <Button
                variant="contained"
                size="large"
                onClick={() => void submit()}
                disabled={submitting || !loaded}
                data-testid="template-start-submit"
                startIcon={submitting ? <CircularProgress size={18} color="inherit" /> : <SendIcon />}
              >
                {submitting ? tc('submitting') : tc('submit')}
              </Button>
            ) : (
              <Button variant="contained" onClick={next} disabled={submitting || (current !== 'template' && (!loaded || !!formError))} data-testid="template-start-next">
                {tc('next')}
              </Button>
            )}
          </Box>
        </CardContent>
      </Card>
    </Box>
  );
};
