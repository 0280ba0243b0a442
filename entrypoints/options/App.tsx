import { useEffect, useState, type FormEvent } from 'react';
import { Status, type Tone } from '../../components/Status';
import { t } from '../../lib/i18n';
import { sendMessage } from '../../lib/messaging';
import { ZammadUrlSchema, type EffectiveSettings } from '../../lib/settings/schema';
import { loadEffectiveSettings, loadSettings, saveSettings } from '../../lib/settings/store';

const CAPTURE_TOGGLES = ['captureConsoleInfo', 'maskContactData'] as const;

export function App() {
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [hasToken, setHasToken] = useState(false);
  const [status, setStatus] = useState<{ tone: Tone; text: string } | null>(null);
  const [effective, setEffective] = useState<EffectiveSettings | null>(null);

  useEffect(() => {
    void loadSettings().then((s) => {
      setUrl(s.zammadUrl);
      setHasToken(s.zammadToken !== '');
    });
    void loadEffectiveSettings().then(setEffective);
  }, []);

  async function toggle(key: (typeof CAPTURE_TOGGLES)[number], value: boolean) {
    await saveSettings({ [key]: value });
    setEffective(await loadEffectiveSettings());
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const checked = ZammadUrlSchema.safeParse(url);
    if (!checked.success) return setStatus({ tone: 'bad', text: t('invalidSettings', checked.error.issues[0]?.message ?? '') });
    await saveSettings({ zammadUrl: checked.data, ...(token ? { zammadToken: token } : {}) });
    setHasToken(hasToken || token !== '');
    setToken('');
    setStatus({ tone: 'ok', text: t('saved') });
  }

  async function probe() {
    const s = await loadSettings();
    const res = await sendMessage('probeZammad', { url: s.zammadUrl, token: token || s.zammadToken || '-' });
    setStatus(res.ok ? { tone: 'ok', text: t('connectedAs', res.name) } : { tone: 'bad', text: t('connectionFailed', res.error) });
  }

  return (
    <main style={{ maxWidth: 560, margin: '2rem auto', padding: '0 1rem' }}>
      <h1>{t('optionsHeading')}</h1>
      <form onSubmit={(e) => void save(e)}>
        <label htmlFor="zammad-url">{t('zammadUrl')}</label>
        <input id="zammad-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} />
        <label htmlFor="zammad-token">{t('zammadToken')}</label>
        <input
          id="zammad-token"
          type="password"
          autoComplete="off"
          value={token}
          placeholder={hasToken ? t('tokenHidden') : ''}
          onChange={(e) => setToken(e.target.value)}
        />
        <p style={{ display: 'flex', gap: 8 }}>
          <button type="submit">{t('save')}</button>
          <button type="button" className="secondary" onClick={() => void probe()}>
            {t('testConnection')}
          </button>
        </p>
      </form>
      {status && <Status tone={status.tone} text={status.text} testId="options-status" />}
      <h2>{t('captureHeading')}</h2>
      {effective &&
        CAPTURE_TOGGLES.map((key) => {
          const locked = effective.locked.includes(key);
          return (
            <p key={key}>
              <label>
                <input
                  type="checkbox"
                  data-setting={key}
                  checked={effective.settings[key]}
                  disabled={locked}
                  onChange={(e) => void toggle(key, e.target.checked)}
                />{' '}
                {t(key)}
              </label>
              {locked && <small className="locked"> — {t('lockedByPolicy')}</small>}
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
    </main>
  );
}
