/**
 * Screenshot benchmark: html2canvas-pro, what Témoin's fallback ships (entrypoints/page-render.ts),
 * with the fallback's own options (lib/screenshot/page-render.ts), viewport → JPEG 0.8.
 */
import html2canvas from 'html2canvas-pro';
import { canvasJpeg, html2canvasViewportOptions, register } from './screenshot-probe';

register('html2canvas-pro', async () => canvasJpeg(await html2canvas(document.documentElement, html2canvasViewportOptions())));
