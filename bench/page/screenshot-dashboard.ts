/**
 * Screenshot benchmark: a generated supervision-style dashboard of about 10,000 elements, with
 * modern CSS (oklch() and color-mix() colours, gradients, box-shadows, grid/flex layout, border
 * radii) and inline SVG sparklines, served by the bench server. Node side: returns the HTML.
 * Deterministic (a seeded generator), so every run renders the same page.
 */

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STATES = [
  { id: 'libre', label: 'Libre', hue: 150 },
  { id: 'en-communication', label: 'En communication', hue: 250 },
  { id: 'pause', label: 'Pause', hue: 70 },
  { id: 'sonnerie', label: 'Sonnerie', hue: 320 },
  { id: 'hors-ligne', label: 'Hors ligne', hue: 20 },
] as const;

const FIRST = ['Camille', 'Léa', 'Hugo', 'Chloé', 'Lucas', 'Manon', 'Nathan', 'Inès', 'Louis', 'Jade', 'Gabriel', 'Zoé'];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent'];

function sparkline(r: () => number, w: number, h: number, hue: number): string {
  const pts = Array.from({ length: 12 }, (_, i) => `${Math.round((i * w) / 11)},${Math.round(2 + r() * (h - 4))}`).join(' ');
  return `<svg class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" aria-hidden="true"><polyline points="${pts}" fill="none" stroke="oklch(62% 0.19 ${hue})" stroke-width="1.5"/><circle cx="${w - 2}" cy="${pts.split(' ').pop()!.split(',')[1]}" r="2" fill="oklch(55% 0.2 ${hue})"/></svg>`;
}

/** The page's HTML; `rows` agent rows of about 20 elements each (≈ 10,000 elements at 480 rows). */
export function dashboardHtml(rows = 480): string {
  const r = rng(42);
  const kpis = ['Appels entrants', 'Appels sortants', 'Taux de décroché', 'Attente moyenne', 'Durée moyenne', 'Agents connectés', 'Appels perdus', 'Rappels planifiés']
    .map((label, i) => {
      const hue = (i * 45) % 360;
      return `<article class="kpi" style="--h:${hue}"><header><h3>${label}</h3><span class="badge">+${(r() * 12).toFixed(1)} %</span></header><p class="value">${Math.round(r() * 9000)}</p>${sparkline(r, 180, 40, hue)}<footer><span>Objectif</span><meter min="0" max="100" value="${Math.round(r() * 100)}"></meter></footer></article>`;
    })
    .join('');
  const queues = Array.from({ length: 12 }, (_, i) => {
    const hue = (i * 30) % 360;
    return `<li style="--h:${hue}"><span class="dot"></span><b>File ${i + 1}</b><span>${Math.round(r() * 30)} en attente</span><span class="bar"><i style="width:${Math.round(r() * 100)}%"></i></span></li>`;
  }).join('');
  const body = Array.from({ length: rows }, (_, i) => {
    const st = STATES[Math.floor(r() * STATES.length)]!;
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
    return (
      `<tr class="${i % 2 ? 'odd' : ''}"><td><input type="checkbox" aria-label="Sélectionner"></td>` +
      `<td><span class="avatar" style="--h:${(i * 37) % 360}">${name[0]}</span><span class="name">${name}</span></td>` +
      `<td><span class="state" style="--h:${st.hue}"><span class="dot"></span>${st.label}</span></td>` +
      `<td class="num">${Math.round(r() * 80)}</td><td class="num">${Math.floor(r() * 60)}:${String(Math.floor(r() * 60)).padStart(2, '0')}</td>` +
      `<td><span class="tag">Support</span><span class="tag">N${1 + (i % 3)}</span></td>` +
      `<td>${sparkline(r, 96, 22, st.hue)}</td>` +
      `<td><button type="button" class="act">Écouter</button><button type="button" class="act">Chuchoter</button></td></tr>`
    );
  }).join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Supervision — tableau de bord (bench)</title><style>
:root { --bg: oklch(97% 0.01 250); --ink: oklch(25% 0.03 260); --muted: oklch(55% 0.03 260); --line: color-mix(in oklab, var(--ink) 12%, transparent); --accent: oklch(58% 0.2 255); font: 14px/1.4 system-ui, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); }
.top { display: flex; align-items: center; gap: 24px; padding: 12px 24px; background: linear-gradient(90deg, oklch(35% 0.12 265), oklch(45% 0.16 300)); color: oklch(98% 0.01 260); box-shadow: 0 2px 12px oklch(20% 0.05 260 / 0.35); }
.top nav a { color: inherit; margin-right: 16px; text-decoration: none; opacity: .85; }
.top nav a.on { opacity: 1; border-bottom: 2px solid oklch(85% 0.15 90); }
.layout { display: grid; grid-template-columns: 260px 1fr; gap: 20px; padding: 20px 24px; }
aside { background: white; border-radius: 12px; padding: 12px; box-shadow: 0 1px 3px oklch(20% 0.02 260 / .12), 0 8px 24px oklch(20% 0.02 260 / .08); }
aside ul { list-style: none; margin: 0; padding: 0; }
aside li { display: grid; grid-template-columns: 12px 1fr auto; gap: 6px 8px; align-items: center; padding: 8px 4px; border-bottom: 1px solid var(--line); }
aside li .bar { grid-column: 1 / -1; height: 6px; border-radius: 3px; background: oklch(92% 0.02 var(--h)); }
aside li .bar i { display: block; height: 100%; border-radius: 3px; background: oklch(65% 0.18 var(--h)); }
.dot { width: 10px; height: 10px; border-radius: 50%; background: oklch(65% 0.2 var(--h)); box-shadow: 0 0 0 3px oklch(65% 0.2 var(--h) / .2); display: inline-block; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; margin-bottom: 20px; }
.kpi { background: white; border-radius: 14px; padding: 14px 16px; border-top: 4px solid oklch(62% 0.19 var(--h)); box-shadow: 0 1px 2px oklch(20% 0.02 260 / .1), 0 10px 30px -10px oklch(40% 0.1 var(--h) / .35); }
.kpi header { display: flex; justify-content: space-between; align-items: center; }
.kpi h3 { margin: 0; font-size: 13px; color: var(--muted); font-weight: 600; }
.badge { font-size: 12px; padding: 2px 8px; border-radius: 999px; background: oklch(94% 0.05 var(--h)); color: oklch(40% 0.15 var(--h)); }
.value { font-size: 28px; font-weight: 700; margin: 6px 0; }
.kpi footer { display: flex; gap: 8px; align-items: center; font-size: 12px; color: var(--muted); }
table { width: 100%; border-collapse: separate; border-spacing: 0; background: white; border-radius: 12px; overflow: hidden; box-shadow: 0 1px 3px oklch(20% 0.02 260 / .12), 0 8px 24px oklch(20% 0.02 260 / .08); }
th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: oklch(96% 0.015 250); padding: 10px; position: sticky; top: 0; }
td { padding: 6px 10px; border-bottom: 1px solid var(--line); }
tr.odd td { background: color-mix(in oklab, var(--accent) 4%, white); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.avatar { display: inline-grid; place-items: center; width: 26px; height: 26px; border-radius: 50%; margin-right: 8px; color: white; font-weight: 700; background: linear-gradient(135deg, oklch(70% 0.15 var(--h)), oklch(50% 0.18 calc(var(--h) + 40))); box-shadow: 0 2px 6px oklch(30% 0.1 var(--h) / .4); }
.state { display: inline-flex; align-items: center; gap: 6px; padding: 2px 10px; border-radius: 999px; background: oklch(95% 0.04 var(--h)); color: oklch(38% 0.14 var(--h)); }
.tag { display: inline-block; margin-right: 4px; padding: 1px 6px; border-radius: 4px; font-size: 11px; border: 1px solid oklch(80% 0.05 250); color: oklch(45% 0.08 250); }
.act { margin-right: 6px; padding: 3px 10px; border-radius: 6px; border: 1px solid color-mix(in oklch, var(--accent) 50%, white); background: oklch(97% 0.02 255); color: oklch(40% 0.15 255); box-shadow: 0 1px 2px oklch(20% 0.05 260 / .15); }
</style></head><body>
<header class="top"><strong>Axialys · Supervision</strong><nav><a class="on" href="#">Temps réel</a><a href="#">Files</a><a href="#">Agents</a><a href="#">Statistiques</a></nav></header>
<div class="layout"><aside><h2>Files d'attente</h2><ul>${queues}</ul></aside>
<main><section class="kpis">${kpis}</section>
<table><thead><tr><th></th><th>Agent</th><th>État</th><th>Appels</th><th>Durée</th><th>Compétences</th><th>Tendance</th><th>Actions</th></tr></thead><tbody>${body}</tbody></table></main></div>
</body></html>`;
}
