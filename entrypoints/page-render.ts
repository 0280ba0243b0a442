import html2canvas from 'html2canvas-pro';
import { defineUnlistedScript } from '#imports';
import { RENDER_GLOBAL, renderVisible } from '../lib/screenshot/page-render';

// Imported by the frame agent (isolated world) only when the native capture was refused.
export default defineUnlistedScript(() => {
  (globalThis as unknown as Record<string, unknown>)[RENDER_GLOBAL] = () => renderVisible(html2canvas as never);
});
