import { useEffect, useRef, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, Checkbox, CircularProgress, FormControlLabel, FormGroup, Stack, TextField, Typography } from '@mui/material';
import { Title, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { ApiError, apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { LeaveGuard } from '../../../ui-shared/src/components/LeaveGuard';
import { formatDateTime } from '../../../ui-shared/src/format';
import { useApiGet } from '../../../ui-shared/src/hooks/useApiGet';
import type { listSettings, NamedOption, SettingEntry } from '../../../domain/platform/settings';
import { reloadedField, sameSelection } from './reloaded-edit';

/** GET /api/admin/platform-settings: the server's own answer (listSettings in domain/platform/settings.ts); PUT answers one SettingEntry. */
type SettingsAnswer = Awaited<ReturnType<typeof listSettings>>;

const valueOf = <T,>(data: SettingsAnswer, key: SettingEntry['key']) => data.settings.find((s) => s.key === key)?.value as T;

/** Words of this page that are not in the console's translations. */
const OVERTAKEN_TEXT = {
  'zh-CN': (value: string) => `其他管理员已将此项保存为：${value}。您的输入仍保留，再次保存将覆盖该修改。`,
  en: (value: string) => `Another operator saved this setting as: ${value}. Your input is kept; saving again overwrites that change.`,
};

/** One setting's card: title, hint, its editor, 保存 and when it was last changed. */
const SettingCard = (props: { testId: string; title: string; hint: string; updatedAt: string | null; busy: boolean; dirty: boolean; overtaken?: string | null; onSave: () => void; children: React.ReactNode }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Card data-testid={props.testId}>
      <CardContent>
        <Typography variant="h6">{props.title}</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {props.hint}
        </Typography>
        {props.children}
        {props.overtaken && (
          <Alert severity="warning" sx={{ mt: 2 }} data-testid={`${props.testId}-overtaken`}>
            {props.overtaken}
          </Alert>
        )}
        <Stack direction="row" spacing={2} sx={{ mt: 2, alignItems: 'center' }}>
          <Button variant="contained" onClick={props.onSave} disabled={props.busy || !props.dirty} data-testid={`${props.testId}-save`}>
            {translate('ra.action.save')}
          </Button>
          <Typography variant="caption" color="text.secondary">
            {props.updatedAt ? translate('admin.settings.updated_at', { time: formatDateTime(props.updatedAt, locale) }) : translate('admin.settings.default_in_use')}
          </Typography>
        </Stack>
      </CardContent>
    </Card>
  );
};

/** 系统配置 (operators): enabled seal types, CA poll interval, certificate validity. Each saves on its own. */
export const PlatformSettingsPage = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const [reloads, setReloads] = useState(0);
  const { data, error, loading } = useApiGet<SettingsAnswer>('/api/admin/platform-settings', reloads);
  const [sealTypes, setSealTypes] = useState<string[]>([]);
  const [poll, setPoll] = useState('');
  const [validity, setValidity] = useState('');
  const [expiryDays, setExpiryDays] = useState('');
  const [busy, setBusy] = useState(false);

  /** The settings as last loaded: a reload keeps what the operator is still editing in the other cards. */
  const loaded = useRef<SettingsAnswer | undefined>(undefined);
  /** Cards whose save was refused because another operator saved first: the reload keeps the edit and moves its version on. */
  const refused = useRef(new Set<SettingEntry['key']>());
  /** Cards showing that another operator's value was stored over the edit they keep (until saved). */
  const [overtaken, setOvertaken] = useState<ReadonlySet<SettingEntry['key']>>(new Set());
  /**
   * Per card, the version of the stored value its field started from: a save sends it, so an edit begun before another
   * operator's save is refused (409) even when a reload (after saving another card) kept the edit. It moves on only
   * when the field shows the stored value (loaded, or saved by this page), or after a 409 (the operator has been told).
   */
  const base = useRef(new Map<SettingEntry['key'], number>());
  useEffect(() => {
    if (!data) return;
    const before = loaded.current;
    loaded.current = data;
    const wasRefused = new Set(refused.current); // the updaters below run later, during the next render
    refused.current.clear();
    if (wasRefused.size > 0) setOvertaken((keys) => new Set([...keys, ...wasRefused])); // now that the stored value is read
    const text = (d: SettingsAnswer | undefined, key: SettingEntry['key']) => (d ? String(valueOf<number>(d, key)) : undefined);
    const edit = <T,>(key: SettingEntry['key'], current: T, savedBefore: T | undefined, savedNow: T, same?: (a: T, b: T) => boolean) => {
      const loadedVersion = data.settings.find((s) => s.key === key)!.version;
      const next = reloadedField({ current, savedBefore, savedNow, base: base.current.get(key), loadedVersion, refused: wasRefused.has(key), same });
      base.current.set(key, next.base);
      return next.value;
    };
    setSealTypes((cur) => edit('sealTypes', cur, before && valueOf<string[]>(before, 'sealTypes'), valueOf<string[]>(data, 'sealTypes'), sameSelection));
    setPoll((cur) => edit('caPollIntervalSeconds', cur, text(before, 'caPollIntervalSeconds'), text(data, 'caPollIntervalSeconds')!));
    setValidity((cur) => edit('certificateValidityDays', cur, text(before, 'certificateValidityDays'), text(data, 'certificateValidityDays')!));
    setExpiryDays((cur) => edit('contractDefaultExpiryDays', cur, text(before, 'contractDefaultExpiryDays'), text(data, 'contractDefaultExpiryDays')!));
  }, [data]);

  if (!data) {
    return (
      <Box sx={{ p: 2 }}>
        <Title title={translate('admin.pages.platform-settings')} />
        {error ? <ApiErrorAlert error={errorMessage(error)} /> : loading && <CircularProgress size={24} />}
      </Box>
    );
  }

  const entry = (key: SettingEntry['key']) => data.settings.find((s) => s.key === key)!;
  const versionOf = (key: SettingEntry['key']) => base.current.get(key) ?? entry(key).version;
  const numberFields = { caPollIntervalSeconds: setPoll, certificateValidityDays: setValidity, contractDefaultExpiryDays: setExpiryDays };
  const save = async (key: SettingEntry['key'], value: unknown) => {
    setBusy(true);
    try {
      const saved = await apiFetch<SettingEntry>(`/api/admin/platform-settings/${key}`, { method: 'PUT', body: { value, version: versionOf(key) } });
      base.current.set(key, saved.version); // the field shows what was just stored
      // …as stored: a number typed as "0120" shows 120, so the card is not left looking unsaved.
      if (typeof saved.value === 'number') numberFields[key as keyof typeof numberFields]?.(String(saved.value));
      setOvertaken((keys) => new Set([...keys].filter((k) => k !== key)));
      notify('admin.settings.saved', { type: 'success' });
      setReloads((n) => n + 1);
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
      // Another operator saved this setting after it was loaded: read what is stored now and show it beside the edit, which stays.
      if (e instanceof ApiError && e.status === 409) {
        refused.current.add(key);
        setReloads((n) => n + 1);
      }
    } finally {
      setBusy(false);
    }
  };
  const name = (o: NamedOption) => (locale.startsWith('en') ? o.nameEn : o.name);
  const savedTypes = valueOf<string[]>(data, 'sealTypes');
  const b = data.bounds;
  /** The note of a card whose refused edit it still shows: the value another operator stored. */
  const overtakenNote = (key: SettingEntry['key'], dirty: boolean) => {
    if (!overtaken.has(key) || !dirty) return null;
    const stored =
      key === 'sealTypes'
        ? savedTypes.map((code) => data.catalogue.sealTypes.find((o) => o.code === code)).map((o, i) => (o ? name(o) : savedTypes[i])).join(locale.startsWith('en') ? ', ' : '、')
        : String(valueOf<number>(data, key));
    return OVERTAKEN_TEXT[locale.startsWith('en') ? 'en' : 'zh-CN'](stored);
  };
  const sealTypesDirty = !sameSelection(sealTypes, savedTypes);
  const pollDirty = poll !== String(valueOf<number>(data, 'caPollIntervalSeconds'));
  const validityDirty = validity !== String(valueOf<number>(data, 'certificateValidityDays'));
  const expiryDirty = expiryDays !== String(valueOf<number>(data, 'contractDefaultExpiryDays'));

  return (
    <Stack spacing={2} sx={{ p: { xs: 1, sm: 2 }, maxWidth: 760 }} data-testid="platform-settings">
      <Title title={translate('admin.pages.platform-settings')} />
      <LeaveGuard when={sealTypesDirty || pollDirty || validityDirty || expiryDirty} />
      <SettingCard
        testId="setting-seal-types"
        title={translate('admin.settings.seal_types')}
        hint={translate('admin.settings.seal_types_hint')}
        updatedAt={entry('sealTypes').updatedAt}
        busy={busy}
        dirty={sealTypesDirty}
        overtaken={overtakenNote('sealTypes', sealTypesDirty)}
        onSave={() => void save('sealTypes', sealTypes)}
      >
        <FormGroup row>
          {data.catalogue.sealTypes.map((o) => (
            <FormControlLabel
              key={o.code}
              label={name(o)}
              control={
                <Checkbox
                  checked={sealTypes.includes(o.code)}
                  onChange={(e) => setSealTypes((cur) => (e.target.checked ? [...cur, o.code] : cur.filter((c) => c !== o.code)))}
                  slotProps={{ input: { 'data-testid': `seal-type-${o.code}` } as object }}
                />
              }
            />
          ))}
        </FormGroup>
      </SettingCard>
      <SettingCard
        testId="setting-ca-poll"
        title={translate('admin.settings.ca_poll')}
        hint={translate('admin.settings.ca_poll_hint', { min: b.caPollIntervalSeconds.min, max: b.caPollIntervalSeconds.max })}
        updatedAt={entry('caPollIntervalSeconds').updatedAt}
        busy={busy}
        dirty={pollDirty}
        overtaken={overtakenNote('caPollIntervalSeconds', pollDirty)}
        onSave={() => void save('caPollIntervalSeconds', Number(poll))}
      >
        <TextField
          type="number"
          size="small"
          label={translate('admin.settings.seconds')}
          value={poll}
          onChange={(e) => setPoll(e.target.value)}
          slotProps={{ htmlInput: { min: b.caPollIntervalSeconds.min, max: b.caPollIntervalSeconds.max, step: 1, 'data-testid': 'ca-poll-input' } }}
        />
      </SettingCard>
      <SettingCard
        testId="setting-validity"
        title={translate('admin.settings.validity')}
        hint={translate('admin.settings.validity_hint', { min: b.certificateValidityDays.min, max: b.certificateValidityDays.max })}
        updatedAt={entry('certificateValidityDays').updatedAt}
        busy={busy}
        dirty={validityDirty}
        overtaken={overtakenNote('certificateValidityDays', validityDirty)}
        onSave={() => void save('certificateValidityDays', Number(validity))}
      >
        <TextField
          type="number"
          size="small"
          label={translate('admin.settings.days')}
          value={validity}
          onChange={(e) => setValidity(e.target.value)}
          slotProps={{ htmlInput: { min: b.certificateValidityDays.min, max: b.certificateValidityDays.max, step: 1, 'data-testid': 'validity-input' } }}
        />
      </SettingCard>
      <SettingCard
        testId="setting-contract-expiry"
        title={translate('admin.settings.contract_expiry')}
        hint={translate('admin.settings.contract_expiry_hint', { min: b.contractDefaultExpiryDays.min, max: b.contractDefaultExpiryDays.max })}
        updatedAt={entry('contractDefaultExpiryDays').updatedAt}
        busy={busy}
        dirty={expiryDirty}
        overtaken={overtakenNote('contractDefaultExpiryDays', expiryDirty)}
        onSave={() => void save('contractDefaultExpiryDays', Number(expiryDays))}
      >
        <TextField
          type="number"
          size="small"
          label={translate('admin.settings.days')}
          value={expiryDays}
          onChange={(e) => setExpiryDays(e.target.value)}
          slotProps={{ htmlInput: { min: b.contractDefaultExpiryDays.min, max: b.contractDefaultExpiryDays.max, step: 1, 'data-testid': 'contract-expiry-input' } }}
        />
      </SettingCard>
    </Stack>
  );
};
