import { useState } from 'react';
import { Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, FormLabel, Radio, RadioGroup, Stack, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';
import { ApiErrorAlert, errorMessage } from '../../../../ui-shared/src/components/ApiErrorAlert';
import { PdfFileInput } from '../../contracts/create/PdfFileInput';
import { checkInfo, MAX_BUSINESS_TYPE, MAX_NAME, MAX_SCENARIO, type RuleErrors } from './definitionRules';
import { createTemplate } from './templateApi';
import type { TemplateKind, TemplateView } from './types';

const ACCEPT: Record<TemplateKind, string> = {
  word: '.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  web: 'application/pdf,.pdf',
};
const EXTENSION: Record<TemplateKind, RegExp> = { word: /\.docx$/i, web: /\.pdf$/i };

/** Strips the extension: the file name is the template's default name. */
const baseName = (file: File) => file.name.replace(/\.[^.]+$/, '').slice(0, MAX_NAME);

/** 新建模板: kind (Word / Web), 模板名称, 业务类型, 应用场景 and the source file (.docx / .pdf). */
export const CreateTemplateDialog = ({ onClose, onCreated }: { onClose: () => void; onCreated: (template: TemplateView) => void }) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.templates.${key}`, opts);
  const [kind, setKind] = useState<TemplateKind>('word');
  const [name, setName] = useState('');
  const [businessType, setBusinessType] = useState('');
  const [scenario, setScenario] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<RuleErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const errorText = (key: string) => (errors[key] ? t(`errors.${errors[key].code}`, errors[key].params) : undefined);

  const submit = async () => {
    const found: RuleErrors = checkInfo({ name, businessType, scenario });
    if (!file) found.file = { code: 'file_required' };
    else if (!EXTENSION[kind].test(file.name)) found.file = { code: kind === 'word' ? 'file_not_docx' : 'file_not_pdf' };
    setErrors(found);
    if (Object.keys(found).length > 0 || !file) return;
    setBusy(true);
    setServerError(null);
    try {
      const created = await createTemplate(file, { kind, name: name.trim(), ...(businessType.trim() ? { businessType: businessType.trim() } : {}), ...(scenario.trim() ? { scenario: scenario.trim() } : {}) });
      onCreated(created);
    } catch (e) {
      setServerError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="template-create-dialog">
      <DialogTitle>{t('create_title')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <div>
            <FormLabel>{t('kind')}</FormLabel>
            <RadioGroup
              row
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as TemplateKind);
                setFile(null);
              }}
            >
              <FormControlLabel value="word" control={<Radio slotProps={{ input: { 'data-testid': 'template-kind-word' } as object }} />} label={t('kinds.word')} />
              <FormControlLabel value="web" control={<Radio slotProps={{ input: { 'data-testid': 'template-kind-web' } as object }} />} label={t('kinds.web')} />
            </RadioGroup>
            <FormLabel sx={{ typography: 'caption' }}>{t(`kind_hint.${kind}`)}</FormLabel>
          </div>
          <PdfFileInput
            file={file}
            onChange={(f) => {
              setFile(f);
              if (f && !name.trim()) setName(baseName(f));
            }}
            error={errorText('file')}
            testId="template-file-input"
            chooseLabel={t(kind === 'word' ? 'choose_docx' : 'choose_pdf')}
            accept={ACCEPT[kind]}
            disabled={busy}
          />
          <TextField
            label={t('name')}
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={!!errors['info.name']}
            helperText={errorText('info.name')}
            slotProps={{ htmlInput: { 'data-testid': 'template-name', maxLength: MAX_NAME } }}
          />
          <TextField
            label={t('business_type')}
            value={businessType}
            onChange={(e) => setBusinessType(e.target.value)}
            error={!!errors['info.businessType']}
            helperText={errorText('info.businessType')}
            slotProps={{ htmlInput: { 'data-testid': 'template-business-type', maxLength: MAX_BUSINESS_TYPE } }}
          />
          <TextField
            label={t('scenario')}
            value={scenario}
            onChange={(e) => setScenario(e.target.value)}
            error={!!errors['info.scenario']}
            helperText={errorText('info.scenario')}
            slotProps={{ htmlInput: { 'data-testid': 'template-scenario', maxLength: MAX_SCENARIO } }}
          />
        </Stack>
        <ApiErrorAlert error={serverError} testId="template-create-error" />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy} data-testid="template-create-cancel">
          {translate('ra.action.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy} startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined} data-testid="template-create-submit">
          {t('upload_create')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
