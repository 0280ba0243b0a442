import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { bootReportPage } from '../lib/replay/boot';

// The script inlined into every report.html (lib/report/report-html.ts reads /report-renderer.js
// and embeds it under a CSP hash). It runs from file:// with no extension API: DOM only.
export default defineUnlistedScript(() => {
  bootReportPage();
});
