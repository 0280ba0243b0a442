/** Screenshot benchmark: modern-screenshot domToJpeg (quality 0.8) of the viewport. */
import { domToJpeg } from 'modern-screenshot';
import { dataUrlBytes, register } from './screenshot-probe';

register('modern-screenshot', async () => {
  const width = window.innerWidth;
  const height = window.innerHeight;
  const scale = window.devicePixelRatio || 1;
  const url = await domToJpeg(document.documentElement, { width, height, scale, quality: 0.8 });
  return { bytes: dataUrlBytes(url), width: Math.round(width * scale), height: Math.round(height * scale) };
});
