import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Step, StepLabel, Stepper, Typography } from '@mui/material';
import SendIcon from '@mui/icons-material/Send';
import { Title, useNotify, useRedirect, useTranslate } from 'react-admin';
import { apiRequest } from '../../../../ui-shared/src/api/apiFetch';
import { useMe } from '../../../../ui-shared/src/auth/useMe';
import { clearDraft, getDraft, setDraft } from '../../../../ui-shared/src/drafts';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import { RealNameRequired } from '../../account/RealNameRequired';
import { StartFromTemplateButton } from '../../templates/start/StartFromTemplateButton';
import type { Size } from '../../pdf/geometry';
import type { EditorMark } from '../../pdf/placement';
import type { ContractOptions } from './contractOptions';
import { DetailsStep } from './DetailsStep';
import { FileStep } from './FileStep';
import { ParticipantsStep } from './ParticipantsStep';
import { PlacementStep } from './PlacementStep';
import {
  defaultExpiry,
  initialWizard,
  keepValidMarks,
  toFormData,
  validateDetails,
  validateFile,
  validateMarks,
  validateParticipants,
  type FieldErrors,
  type ParticipantDraft,
  type WizardValues,
} from './wizardModel';

const DRAFT_KEY = 'portal.contract-create.v2';
const STEPS = ['file', 'participants', 'placement', 'details'] as const;
type WizardStep = (typeof STEPS)[number];

const validators: Record<WizardStep, (v: WizardValues) => FieldErrors> = {
  file: validateFile,
  participants: validateParticipants,
  placement: validateMarks,
  details: (v) => validateDetails(v),
};

interface Draft {
  values: WizardValues;
  step: number;
}

/**
 * 发起合同 (wizard): 1 the PDF → 2 participants by step (个人 / 企业 / 部门, 可拒签, preset or free
 * placement, note, 经办人) → 3 drag each participant's marks onto the rendered pages → 4 title,
 * 合同编号, 备注, expiry (default from the platform settings), 发起身份, 抄送 → POST /api/contracts
 * (multipart: file + spec, Idempotency-Key), then the contract page.
 */
export const ContractCreate = () => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.contracts.create.${key}`, opts);
  const notify = useNotify();
  const redirect = useRedirect();
  const { me } = useMe();
  const options = useApiGet<ContractOptions>('/api/contracts/options');
  // The draft survives the remount caused by switching the language.
  const [draft, setDraftState] = useState<Draft>(() => getDraft<Draft>(DRAFT_KEY) ?? { values: initialWizard(), step: 0 });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [pages, setPages] = useState<Size[]>([]);
  useEffect(() => setDraft(DRAFT_KEY, draft), [draft]);

  const { values, step } = draft;
  const current = STEPS[step] ?? 'file';
  const acting = me?.acting ?? null;
  const actAs = values.actAs ?? (acting ? 'enterprise' : 'person');
  const sealTypes = options.data?.sealTypes;

  const update = useCallback((patch: Partial<WizardValues>) => setDraftState((d) => ({ ...d, values: { ...d.values, ...patch } })), []);
  const goTo = (next: number) => {
    setErrors({});
    setSubmitError(null);
    setDraftState((d) => ({ ...d, step: next }));
    window.scrollTo({ top: 0 });
  };

  // The expiry field starts at the platform's default once it is known.
  const defaultDays = options.data?.defaultExpiryDays;
  useEffect(() => {
    if (defaultDays && !values.expiresAt) update({ expiresAt: defaultExpiry(defaultDays) });
  }, [defaultDays, values.expiresAt, update]);

  const onFile = (file: File | null) =>
    setDraftState((d) => ({
      ...d,
      values: {
        ...d.values,
        file,
        // Positions belong to the old document.
        marks: [],
        // Suggest the file name as the title when none was typed.
        title: d.values.title || !file ? d.values.title : file.name.replace(/\.pdf$/i, ''),
      },
    }));

  const onParticipants = (participants: ParticipantDraft[]) =>
    update({ participants, marks: sealTypes ? keepValidMarks(values.marks, participants, sealTypes) : values.marks });

  const onMarks = useCallback((marks: EditorMark[]) => update({ marks }), [update]);
  const onPagesLoaded = useCallback((sizes: Size[]) => setPages(sizes), []);

  const check = (which: WizardStep) => {
    const found = validators[which](values);
    setErrors(found);
    return Object.keys(found).length === 0;
  };

  const next = () => {
    if (!check(current)) {
      setSubmitError(t('errors.step_invalid'));
      return;
    }
    goTo(step + 1);
  };

  const submit = async () => {
    // Every step again: the draft may have been edited in any order.
    for (const [index, which] of STEPS.entries()) {
      if (!check(which)) {
        if (index !== step) setDraftState((d) => ({ ...d, step: index }));
        setSubmitError(t('errors.step_invalid'));
        return;
      }
    }
    setSubmitting(true);
    setSubmitError(null);
    try {
      const { json } = await apiRequest<{ id: string }>('/api/contracts', {
        method: 'POST',
        body: toFormData({ ...values, actAs }),
        headers: { 'Idempotency-Key': values.idempotencyKey },
      });
      clearDraft(DRAFT_KEY);
      notify(t('success'), { type: 'success' });
      redirect('show', 'contracts', json.id);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      setSubmitError(message);
      notify(message, { type: 'error' });
      setSubmitting(false);
    }
  };

  const body = () => {
    if (!options.data) {
      return options.error ? (
        <Alert severity="error" data-testid="create-options-error">
          {options.error.message}
        </Alert>
      ) : (
        <CircularProgress />
      );
    }
    switch (current) {
      case 'file':
        return <FileStep file={values.file} pageCount={pages.length} onChange={onFile} error={errors.file ? t(`errors.${errors.file}`) : undefined} disabled={submitting} />;
      case 'participants':
        return <ParticipantsStep participants={values.participants} errors={errors} onChange={onParticipants} disabled={submitting} />;
      case 'placement':
        return (
          <PlacementStep
            file={values.file}
            participants={values.participants}
            marks={values.marks}
            options={options.data}
            errors={errors}
            onChange={onMarks}
            onPagesLoaded={onPagesLoaded}
            disabled={submitting}
          />
        );
      case 'details':
        return <DetailsStep values={{ ...values, actAs }} errors={errors} actingEnterpriseName={acting?.enterpriseName ?? null} onChange={update} disabled={submitting} />;
    }
  };

  return (
    <Box sx={{ maxWidth: current === 'placement' ? 1280 : 900, mt: 1 }}>
      <Title title={t('title')} />
      <RealNameRequired actionKey="portal.contracts.create.title" />
      <Box sx={{ display: 'flex', justifyContent: 'flex-end', mb: 1 }}>
        <StartFromTemplateButton />
      </Box>
      {/* overflow visible: the placement palette is sticky against the window while the pages scroll. */}
      <Card data-testid="create-form" data-step={current} sx={{ overflow: 'visible' }}>
        <CardContent>
          <Stepper activeStep={step} alternativeLabel sx={{ mb: 3 }}>
            {STEPS.map((s) => (
              <Step key={s}>
                <StepLabel>{t(`steps.${s}`)}</StepLabel>
              </Step>
            ))}
          </Stepper>
          <Typography variant="h6" sx={{ mb: 2 }}>
            {t(`steps.${current}`)}
          </Typography>
          {body()}
          {submitError && (
            <Alert severity="error" data-testid="create-error" role="alert" sx={{ mt: 2 }}>
              {submitError}
            </Alert>
          )}
          <Box sx={{ display: 'flex', gap: 2, mt: 3, justifyContent: 'space-between' }}>
            <Button onClick={() => goTo(step - 1)} disabled={step === 0 || submitting} data-testid="wizard-back">
              {t('back')}
            </Button>
            {current === 'details' ? (
              <Button
                variant="contained"
                size="large"
                onClick={() => void submit()}
                disabled={submitting || !options.data}
                data-testid="create-submit"
                startIcon={submitting ? <CircularProgress size={18} color="inherit" /> : <SendIcon />}
              >
                {submitting ? t('submitting') : t('submit')}
              </Button>
            ) : (
              <Button variant="contained" onClick={next} disabled={submitting || !options.data} data-testid="wizard-next">
                {t('next')}
              </Button>
            )}
          </Box>
        </CardContent>
      </Card>
    </Box>
  );
};
