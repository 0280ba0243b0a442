/** Screenshot benchmark: html2canvas 1.4.1 (the original project's last release), viewport → JPEG 0.8. */
import html2canvas from 'html2canvas';
import { canvasJpeg, html2canvasViewportOptions, register } from './screenshot-probe';

register('html2canvas', async () => canvasJpeg(await html2canvas(document.documentElement, html2canvasViewportOptions())));
