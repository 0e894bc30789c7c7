import { useState } from 'react';
import { Box, Button, Chip, FormControlLabel, FormHelperText, Radio, RadioGroup, Stack, TextField, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { useTranslate } from 'react-admin';
import { DateTimeLocalInput } from '../../../../ui-shared/src/components/DateTimeLocalInput';
import { MAX_CC, MAX_CONTRACT_NO, MAX_REMARKS, MAX_TITLE, MOBILE_RE, type FieldErrors, type WizardValues } from './wizardModel';

type Details = Pick<WizardValues, 'title' | 'contractNo' | 'remarks' | 'expiresAt' | 'actAs' | 'cc'>;

/** 合同名称, 合同编号, 备注, 截止时间, 发起身份 (个人 / the enterprise acted for), 抄送. */
export const DetailsStep = ({
  values,
  errors,
  actingEnterpriseName,
  onChange,
  disabled,
}: {
  values: Details;
  errors: FieldErrors;
  /** The enterprise the session acts for (切换至企业), or null. */
  actingEnterpriseName: string | null;
  onChange: (patch: Partial<Details>) => void;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.contracts.create.${key}`, opts);
  const err = (field: string) => (errors[field] ? t(`errors.${errors[field]}`) : undefined);
  const [cc, setCc] = useState('');
  const [ccError, setCcError] = useState<string | null>(null);

  const addCc = () => {
    const mobile = cc.trim();
    if (!MOBILE_RE.test(mobile)) return setCcError(t('errors.mobile_invalid'));
    if (values.cc.includes(mobile)) return setCcError(t('errors.cc_duplicate'));
    if (values.cc.length >= MAX_CC) return setCcError(t('errors.cc_too_many'));
    onChange({ cc: [...values.cc, mobile] });
    setCc('');
    setCcError(null);
  };

  return (
    <Stack spacing={2.5} data-testid="details-step">
      <TextField
        label={t('contract_title')}
        value={values.title}
        onChange={(e) => onChange({ title: e.target.value })}
        error={!!err('title')}
        helperText={err('title')}
        disabled={disabled}
        required
        slotProps={{ htmlInput: { 'data-testid': 'create-title', maxLength: MAX_TITLE } }}
      />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          label={t('contract_no')}
          value={values.contractNo}
          onChange={(e) => onChange({ contractNo: e.target.value })}
          error={!!err('contractNo')}
          helperText={err('contractNo')}
          disabled={disabled}
          sx={{ flex: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'create-contract-no', maxLength: MAX_CONTRACT_NO } }}
        />
        <DateTimeLocalInput
          label={t('expires_at')}
          value={values.expiresAt}
          onChange={(v) => onChange({ expiresAt: v })}
          error={!!err('expiresAt')}
          helperText={err('expiresAt')}
          disabled={disabled}
          required
          testId="create-expires-at"
          sx={{ flex: 1, minWidth: 220 }}
        />
      </Stack>
      <TextField
        label={t('remarks')}
        value={values.remarks}
        onChange={(e) => onChange({ remarks: e.target.value })}
        error={!!err('remarks')}
        helperText={err('remarks')}
        disabled={disabled}
        multiline
        minRows={2}
        slotProps={{ htmlInput: { 'data-testid': 'create-remarks', maxLength: MAX_REMARKS } }}
      />
      <Box>
        <Typography variant="subtitle2">{t('act_as')}</Typography>
        <RadioGroup row value={values.actAs} onChange={(e) => onChange({ actAs: e.target.value as Details['actAs'] })}>
          <FormControlLabel value="person" control={<Radio slotProps={{ input: { 'data-testid': 'create-act-as-person' } as object }} />} label={t('act_as_person')} disabled={disabled} />
          <FormControlLabel
            value="enterprise"
            control={<Radio slotProps={{ input: { 'data-testid': 'create-act-as-enterprise' } as object }} />}
            label={actingEnterpriseName ? t('act_as_enterprise', { name: actingEnterpriseName }) : t('act_as_enterprise_none')}
            disabled={disabled || !actingEnterpriseName}
          />
        </RadioGroup>
      </Box>
      <Box>
        <Typography variant="subtitle2">{t('cc')}</Typography>
        <Typography variant="caption" color="text.secondary" component="p">
          {t('cc_hint')}
        </Typography>
        <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: 'flex-start' }}>
          <TextField
            size="small"
            label={t('cc_mobile')}
            value={cc}
            onChange={(e) => setCc(e.target.value.trim())}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addCc();
              }
            }}
            error={!!ccError}
            helperText={ccError}
            disabled={disabled}
            slotProps={{ htmlInput: { 'data-testid': 'cc-mobile', inputMode: 'tel', maxLength: 11 } }}
          />
          <Button startIcon={<AddIcon />} onClick={addCc} disabled={disabled} data-testid="cc-add">
            {t('cc_add')}
          </Button>
        </Stack>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mt: 1 }}>
          {values.cc.map((mobile) => (
            <Chip key={mobile} label={mobile} data-testid="cc-chip" onDelete={disabled ? undefined : () => onChange({ cc: values.cc.filter((m) => m !== mobile) })} />
          ))}
        </Box>
        {err('cc') && <FormHelperText error>{err('cc')}</FormHelperText>}
      </Box>
    </Stack>
  );
};
