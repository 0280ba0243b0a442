/** Small text helpers shared by the Zammad delivery and the exports. */

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The body with the marker: appended when the summary does not already hold it. */
export function bodyWithMarker(bodyHtml: string, marker: string): string {
  return bodyHtml.includes(marker) ? bodyHtml : `${bodyHtml}\n<p>Réf. Témoin : ${escapeHtml(marker)}</p>`;
}

/** Plain text of the (simple, escaped) summary HTML, for the web form and the e-mail's text part. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr|pre|ul|ol|table)>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '• ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|quot|#39|#x27|nbsp|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ', amp: '&' })[e] ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
