import { useEffect, useState, type FormEvent } from 'react';
import { browser } from '#imports';
import { Outbox } from '../../components/Outbox';
import { Status, type Tone } from '../../components/Status';
import { DELIVERY_MODES, type DeliveryMode } from '../../lib/delivery/outbox-types';
import { t, type MessageKey } from '../../lib/i18n';
import { ZAMMAD_ORIGIN_MATCH } from '../../lib/identity';
import { sendMessage } from '../../lib/messaging';
import { parseSettingFields, ZammadUrlSchema, type EffectiveSettings, type SettingKey, type Settings } from '../../lib/settings/schema';
import { loadEffectiveSettings, loadSettings, saveSettings } from '../../lib/settings/store';

const CAPTURE_TOGGLES = ['captureConsoleInfo', 'maskContactData'] as const;
const TEXT_FIELDS = ['zammadGroup', 'reporterName', 'reporterEmail', 'supportEmail', 'customerSuccessEmail'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/** The last four characters, the rest as dots: enough to tell two tokens apart, not to use one. */
export function maskToken(token: string): string {
  if (!token) return '';
  return token.length <= 4 ? '•'.repeat(token.length) : `${'•'.repeat(8)}${token.slice(-4)}`;
}

/** The host permission a Zammad URL needs (none for the production origin, already granted). */
function permissionFor(url: string): string | null {
  try {
    const pattern = `${new URL(url).origin}/*`;
    return pattern === ZAMMAD_ORIGIN_MATCH ? null : pattern;
  } catch {
    return null;
  }
}

/**
 * Asks for the origin's host permission. Must be called synchronously from the click (the
 * browser only shows the prompt during a user gesture), before any await.
 */
function requestPermission(url: string): Promise<boolean> {
  const pattern = permissionFor(url);
  if (!pattern) return Promise.resolve(true);
  try {
    return browser.permissions.request({ origins: [pattern] }).catch(() => false);
  } catch {
    return Promise.resolve(false);
  }
}

type Form = Pick<Settings, 'zammadUrl' | 'deliveryMode' | TextField>;

export function App() {
  const [form, setForm] = useState<Form | null>(null);
  const [token, setToken] = useState('');
  const [storedToken, setStoredToken] = useState('');
  const [status, setStatus] = useState<{ tone: Tone; text: string } | null>(null);
  const [effective, setEffective] = useState<EffectiveSettings | null>(null);

  async function reload() {
    const [own, eff] = await Promise.all([loadSettings(), loadEffectiveSettings()]);
    const s = eff.settings;
    // Locked fields show the policy's value; the others the user's own.
    const pick = <K extends keyof Form>(k: K): Form[K] => (eff.locked.includes(k) ? s[k] : own[k]);
    setForm({
      zammadUrl: pick('zammadUrl'),
      deliveryMode: pick('deliveryMode'),
      zammadGroup: pick('zammadGroup'),
      reporterName: pick('reporterName'),
      reporterEmail: pick('reporterEmail'),
      supportEmail: pick('supportEmail'),
      customerSuccessEmail: pick('customerSuccessEmail'),
    });
    setStoredToken(eff.locked.includes('zammadToken') ? s.zammadToken : own.zammadToken);
    setEffective(eff);
  }

  useEffect(() => {
    void reload();
  }, []);

  const locked = (k: SettingKey) => effective?.locked.includes(k) ?? false;
  const lockNote = (k: SettingKey) => (locked(k) ? <small className="locked" data-locked={k}> — {t('lockedByPolicy')}</small> : null);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => (f ? { ...f, [k]: v } : f));

  async function toggle(key: (typeof CAPTURE_TOGGLES)[number], value: boolean) {
    await saveSettings({ [key]: value });
    setEffective(await loadEffectiveSettings());
  }

  function save(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    const granted = locked('zammadUrl') ? Promise.resolve(true) : requestPermission(form.zammadUrl);
    void (async () => {
      const patch: Record<string, unknown> = {};
      for (const k of ['zammadUrl', 'deliveryMode', ...TEXT_FIELDS] as const) if (!locked(k)) patch[k] = form[k];
      if (token && !locked('zammadToken')) patch.zammadToken = token;
      const checked = parseSettingFields(patch);
      if (checked.errors.length > 0) {
        const err = checked.errors[0]!;
        setStatus({ tone: 'bad', text: t('invalidSettings', `${t(err.key as MessageKey)} — ${err.message}`) });
        return;
      }
      await saveSettings(checked.values);
      setToken('');
      await reload();
      if (!(await granted)) {
        setStatus({ tone: 'bad', text: t('permissionDenied', new URL(form.zammadUrl).origin) });
        return;
      }
      setStatus({ tone: 'ok', text: t('saved') });
    })();
  }

  function probe() {
    if (!form) return;
    const url = ZammadUrlSchema.safeParse(form.zammadUrl);
    const target = url.success ? url.data : (effective?.settings.zammadUrl ?? '');
    const granted = requestPermission(target);
    void (async () => {
      if (!(await granted)) return setStatus({ tone: 'bad', text: t('permissionDenied', new URL(target).origin) });
      const res = await sendMessage('probeZammad', { url: target, token: token || storedToken || '-' });
      setStatus(res.ok ? { tone: 'ok', text: t('connectedAs', res.name) } : { tone: 'bad', text: t('connectionFailed', res.error) });
    })();
  }

  return (
    <main style={{ maxWidth: 640, margin: '2rem auto', padding: '0 1rem' }}>
      <h1>{t('optionsHeading')}</h1>
      {form && (
        <form onSubmit={save}>
          <label htmlFor="zammad-url">{t('zammadUrl')}</label>
          <input id="zammad-url" type="url" value={form.zammadUrl} disabled={locked('zammadUrl')} onChange={(e) => set('zammadUrl', e.target.value)} />
          {lockNote('zammadUrl')}

          <label htmlFor="zammad-token">{t('zammadToken')}</label>
          <input
            id="zammad-token"
            type="password"
            autoComplete="off"
            value={token}
            disabled={locked('zammadToken')}
            placeholder={locked('zammadToken') ? t('tokenFromPolicy') : storedToken ? t('tokenHidden') : ''}
            onChange={(e) => setToken(e.target.value)}
          />
          {storedToken && !locked('zammadToken') && (
            <small className="muted" data-testid="token-mask">
              {t('tokenStored', maskToken(storedToken))}
            </small>
          )}
          {lockNote('zammadToken')}

          <h2>{t('deliveryHeading')}</h2>
          <label htmlFor="delivery-mode">{t('deliveryMode')}</label>
          <select id="delivery-mode" value={form.deliveryMode} disabled={locked('deliveryMode')} onChange={(e) => set('deliveryMode', e.target.value as DeliveryMode)}>
            {DELIVERY_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`deliveryMode_${m}` as MessageKey)}
              </option>
            ))}
          </select>
          {lockNote('deliveryMode')}

          {TEXT_FIELDS.map((k) => (
            <div key={k}>
              <label htmlFor={`setting-${k}`}>{t(k)}</label>
              <input
                id={`setting-${k}`}
                type="text"
                inputMode={k.endsWith('Email') ? 'email' : undefined}
                value={form[k]}
                disabled={locked(k)}
                onChange={(e) => set(k, e.target.value)}
              />
              {k === 'zammadGroup' && <small className="muted">{t('zammadGroupHint')}</small>}
              {lockNote(k)}
            </div>
          ))}

          <p style={{ display: 'flex', gap: 8 }}>
            <button type="submit">{t('save')}</button>
            <button type="button" className="secondary" onClick={probe}>
              {t('testConnection')}
            </button>
          </p>
        </form>
      )}
      {status && <Status tone={status.tone} text={status.text} testId="options-status" />}
      <h2>{t('captureHeading')}</h2>
      {effective &&
        CAPTURE_TOGGLES.map((key) => {
          const isLocked = effective.locked.includes(key);
          return (
            <p key={key}>
              <label>
                <input
                  type="checkbox"
                  data-setting={key}
                  checked={effective.settings[key]}
                  disabled={isLocked}
                  onChange={(e) => void toggle(key, e.target.checked)}
                />{' '}
                {t(key)}
              </label>
              {isLocked && <small className="locked"> — {t('lockedByPolicy')}</small>}
            </p>
          );
        })}
      {effective && effective.policyErrors.length > 0 && (
        <section data-testid="policy-errors" role="alert">
          <p>{t('policyErrorsHeading')}</p>
          <ul>
            {effective.policyErrors.map((e) => (
              <li key={e.key}>{t('policyErrorItem', e.key, e.message)}</li>
            ))}
          </ul>
        </section>
      )}
      <Outbox />
    </main>
  );
}
