/**
 * `GET /` and `GET /__standin/`: a plain HTML list of the stored tickets for people, with links to
 * every attachment. Everything shown comes from untrusted pages, so everything is escaped.
 */
import { escapeHtml } from './http';
import { byId, GROUPS } from './seeds';
import type { Store, TicketRecord } from './store';

export const INDEX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'";

export function fileUrl(ticketId: number, attachmentId: number): string {
  return `/__standin/files/${ticketId}/${attachmentId}`;
}

function ticketRow(t: TicketRecord): string {
  const e = escapeHtml;
  const articles = t.articles
    .map((a) => {
      const files = a.attachments
        .map((f) => `<li><a href="${e(fileUrl(t.id, f.id))}">${e(f.filename)}</a> (${f.size} bytes, ${e(f.preferences['Mime-Type'] ?? '')})</li>`)
        .join('');
      const preview = a.body.length > 400 ? `${a.body.slice(0, 400)}…` : a.body;
      return (
        `<li>#${a.id} ${e(a.subject ?? '')} <small>${e(a.content_type)}${a.internal ? ', internal' : ''}</small>` +
        `<pre>${e(preview)}</pre>${files ? `<ul>${files}</ul>` : ''}</li>`
      );
    })
    .join('');
  return (
    `<tr><td>${e(t.number)}</td><td>${e(t.title)}</td><td>${e(byId(GROUPS, t.group_id)?.name ?? String(t.group_id))}</td>` +
    `<td>${e(t.tags.join(', '))}</td><td>${e(t.created_at)}</td><td><ol>${articles}</ol></td></tr>`
  );
}

export function renderIndex(store: Store): string {
  const tickets = [...store.tickets.values()].sort((a, b) => b.id - a.id);
  const rows = tickets.map(ticketRow).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<meta charset="utf-8">
<title>Zammad stand-in: ${tickets.length} ticket(s)</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}pre{white-space:pre-wrap;max-height:12em;overflow:auto;margin:.2em 0}
</style>
<h1>Zammad stand-in</h1>
<p>Data directory: <code>${escapeHtml(store.dataDir)}</code>. ${tickets.length} ticket(s).</p>
<table>
<thead><tr><th>Number</th><th>Title</th><th>Group</th><th>Tags</th><th>Created</th><th>Articles</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</html>
`;
}
