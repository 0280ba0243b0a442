/**
 * The replay's one stylesheet, scoped under `.tmn-report`: inlined in report.html (allowed by its
 * CSP hash) and injected by the viewer. The renderer never sets a style attribute.
 */
export const REPLAY_CSS = `
.tmn-report{--b:#0b4f9c;--o:#f28c28;--bg:#f6f8fb;--fg:#1b2430;--mu:#5b6878;--ok:#1d7a3a;--bad:#b3261e;--warn:#a15c00;--card:#fff;--line:#d8dee8;
font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);background:var(--bg);max-width:1200px;margin:0 auto;padding:12px 16px 40px;box-sizing:border-box}
@media (prefers-color-scheme:dark){.tmn-report{--b:#8cb8ff;--bg:#12161c;--fg:#e3e8ef;--mu:#9aa6b5;--card:#1b2129;--line:#2e3744;--ok:#63c07f;--bad:#ff8a80;--warn:#ffb74d}}
.tmn-report *{box-sizing:border-box}
.tmn-report h1{font-size:1.3rem;margin:.2rem 0 .6rem;color:var(--b)}
.tmn-report h2{font-size:1.05rem;margin:0 0 .5rem;color:var(--b)}
.tmn-report section,.tmn-report header{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:0 0 12px}
.tmn-report .tmn-top{display:flex;justify-content:space-between;align-items:center;gap:8px;color:var(--mu);font-size:.85rem}
.tmn-report .tmn-langs button{font:inherit;font-size:.8rem;padding:2px 8px;margin-left:4px;border:1px solid var(--b);border-radius:4px;background:var(--card);color:var(--b);cursor:pointer}
.tmn-report .tmn-langs button[aria-pressed=true]{background:var(--b);color:var(--card)}
.tmn-report dl{display:grid;grid-template-columns:minmax(9rem,max-content) 1fr;gap:4px 14px;margin:0}
.tmn-report dt{color:var(--mu);font-weight:600}
.tmn-report dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.tmn-report table{border-collapse:collapse;width:100%;font-size:.9rem}
.tmn-report th,.tmn-report td{text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid var(--line);overflow-wrap:anywhere;white-space:pre-wrap}
.tmn-report th{color:var(--mu);font-weight:600}
.tmn-report .tmn-mono,.tmn-report pre,.tmn-report .tmn-tl td{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem}
.tmn-report pre{margin:4px 0 0;padding:6px 8px;background:var(--bg);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:30rem;overflow:auto}
.tmn-report .tmn-muted{color:var(--mu);font-size:.85rem}
.tmn-report .tmn-notice{border-left:4px solid var(--o);padding:6px 10px;margin:0 0 12px;background:var(--card)}
.tmn-report .tmn-counts{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:0}
.tmn-report .tmn-counts li{border:1px solid var(--line);border-radius:6px;padding:4px 10px}
.tmn-report .tmn-counts li.tmn-bad{border-color:var(--bad);color:var(--bad);font-weight:600}
.tmn-report .tmn-counts strong{font-size:1.1rem;margin-right:4px}
.tmn-report .tmn-shots{display:flex;flex-wrap:wrap;gap:12px}
.tmn-report figure{margin:0;max-width:100%}
.tmn-report figure img{display:block;max-width:100%;height:auto;border:1px solid var(--line)}
.tmn-report figcaption{font-size:.85rem;color:var(--mu);margin-top:4px}
.tmn-report .tmn-filters{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;margin:0 0 8px}
.tmn-report .tmn-filters label{display:inline-flex;align-items:center;gap:4px;font-weight:400;margin:0;white-space:nowrap}
.tmn-report .tmn-filters input[type=search]{font:inherit;padding:3px 6px;border:1px solid var(--line);border-radius:4px;min-width:16rem;background:var(--card);color:var(--fg)}
.tmn-report .tmn-tl td.tmn-rel{white-space:nowrap;font-weight:600}
.tmn-report .tmn-tl td.tmn-clock,.tmn-report .tmn-tl td.tmn-kind{white-space:nowrap;color:var(--mu)}
.tmn-report .tmn-tl tr.tmn-bad td.tmn-kind,.tmn-report .tmn-tl tr.tmn-bad .tmn-title{color:var(--bad)}
.tmn-report .tmn-tl tr.tmn-warn td.tmn-kind,.tmn-report .tmn-tl tr.tmn-warn .tmn-title{color:var(--warn)}
.tmn-report .tmn-tl tr.tmn-fault td{background:rgba(242,140,40,.18);font-weight:700;border-top:2px solid var(--o);border-bottom:2px solid var(--o)}
.tmn-report .tmn-frame{color:var(--mu);margin-right:6px}
.tmn-report details summary{cursor:pointer;color:var(--b);font-size:.8rem}
.tmn-report .tmn-checks{list-style:none;padding:0;margin:0}
.tmn-report .tmn-checks li{border-left:4px solid var(--ok);padding:4px 8px;margin:4px 0;background:var(--bg)}
.tmn-report .tmn-checks li.tmn-warn{border-color:var(--o)}
.tmn-report .tmn-checks li.tmn-fail{border-color:var(--bad);font-weight:600}
.tmn-report .tmn-checks ul{margin:2px 0 0 1rem;padding:0;font-weight:400;font-size:.85rem}
.tmn-report .tmn-tag{display:inline-block;font-size:.75rem;border:1px solid var(--line);border-radius:4px;padding:0 4px;margin-left:6px;color:var(--mu)}
.tmn-report [hidden]{display:none!important}
@media print{.tmn-report .tmn-filters,.tmn-report .tmn-langs{display:none}.tmn-report section{break-inside:avoid-page}}
`;
