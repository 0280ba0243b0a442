import '../lib/zod-setup';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import './page.css';

/** Mounts an extension page's React tree into #root. */
export function mount(node: ReactNode): void {
  const el = document.getElementById('root');
  if (!el) throw new Error('#root missing');
  document.documentElement.lang = navigator.language.startsWith('fr') ? 'fr' : 'en';
  createRoot(el).render(<StrictMode>{node}</StrictMode>);
}
