import { useState } from 'react';
import { Status } from '../../components/Status';
import { t } from '../../lib/i18n';

/** Opens a context.json. The full replay (timeline, screenshots) arrives with the report issue. */
export function App() {
  const [error, setError] = useState<string | null>(null);
  const [summary, setSummary] = useState<string | null>(null);

  async function open(file: File | undefined) {
    if (!file) return;
    try {
      const data: unknown = JSON.parse(await file.text());
      if (typeof data !== 'object' || data === null || !('schemaVersion' in data)) throw new Error('schemaVersion');
      setError(null);
      setSummary(`${file.name} — schemaVersion ${String((data as { schemaVersion: unknown }).schemaVersion)}`);
    } catch (e) {
      setSummary(null);
      setError(t('viewerInvalid', e instanceof Error ? e.message : String(e)));
    }
  }

  return (
    <main
      style={{ maxWidth: 900, margin: '2rem auto', padding: '0 1rem', minHeight: '60vh' }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        void open(e.dataTransfer.files[0]);
      }}
    >
      <h1>{t('viewerHeading')}</h1>
      <p className="muted">{t('viewerHint')}</p>
      <label htmlFor="viewer-file">{t('viewerOpen')}</label>
      <input id="viewer-file" type="file" accept=".json,application/json" onChange={(e) => void open(e.target.files?.[0])} />
      {error && <Status tone="bad" text={error} />}
      {summary && <Status tone="ok" text={summary} />}
    </main>
  );
}
