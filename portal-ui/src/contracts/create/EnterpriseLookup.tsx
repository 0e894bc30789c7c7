import { useEffect, useState } from 'react';
import { Autocomplete, CircularProgress, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';
import { apiFetch } from '../../../../ui-shared/src/api/apiFetch';
import type { EnterpriseChoice } from './wizardModel';

const DEBOUNCE_MS = 250;

/** Search certified enterprises by name (GET /api/enterprises/lookup?q=, at most 20). */
export const EnterpriseLookup = ({
  value,
  onChange,
  error,
  disabled,
  testId,
}: {
  value: EnterpriseChoice | null;
  onChange: (value: EnterpriseChoice | null) => void;
  error?: string;
  disabled?: boolean;
  testId: string;
}) => {
  const translate = useTranslate();
  const [input, setInput] = useState('');
  const [options, setOptions] = useState<EnterpriseChoice[]>([]);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const q = input.trim();
    if (!q || q === value?.name) {
      setOptions(value ? [value] : []);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      apiFetch<EnterpriseChoice[]>(`/api/enterprises/lookup?q=${encodeURIComponent(q)}`, { signal: controller.signal })
        .then((found) => {
          setOptions(found);
          setFailure(null);
        })
        .catch((e: unknown) => {
          if (!controller.signal.aborted) setFailure(e instanceof Error ? e.message : String(e));
        })
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [input, value]);

  return (
    <Autocomplete
      value={value}
      onChange={(_e, next) => onChange(next)}
      inputValue={input}
      onInputChange={(_e, next) => setInput(next)}
      options={options}
      getOptionLabel={(o) => o.name}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      filterOptions={(x) => x}
      loading={loading}
      disabled={disabled}
      noOptionsText={input.trim() ? translate('portal.contracts.create.enterprise_none') : translate('portal.contracts.create.enterprise_type')}
      loadingText={translate('portal.contracts.create.enterprise_searching')}
      renderOption={(props, option) => (
        <li {...props} key={option.id} data-testid={`${testId}-option`}>
          {option.name}
        </li>
      )}
      renderInput={({ inputProps, InputProps, InputLabelProps, ...params }) => (
        <TextField
          {...params}
          size="small"
          required
          label={translate('portal.contracts.create.enterprise')}
          error={!!error || !!failure}
          helperText={failure ?? error}
          slotProps={{
            htmlInput: { ...inputProps, 'data-testid': testId },
            input: {
              ...InputProps,
              endAdornment: (
                <>
                  {loading && <CircularProgress color="inherit" size={16} />}
                  {InputProps.endAdornment}
                </>
              ),
            },
            inputLabel: InputLabelProps,
          }}
        />
      )}
      sx={{ flex: '1 1 240px', minWidth: 220 }}
    />
  );
};
