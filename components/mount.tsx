import '../lib/zod-setup';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from '#imports';
import './page.css';

/** Mounts an extension page's React tree into #root. */
export function mount(node: ReactNode): void {
  const el = document.getElementById('root');
  if (!el) throw new Error('#root missing');
  // The language the _locales messages are in (the browser's UI language), for screen readers.
  document.documentElement.lang = browser.i18n.getUILanguage().startsWith('fr') ? 'fr' : 'en';
  createRoot(el).render(<StrictMode>{node}</StrictMode>);
}
