import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURE_DIR = path.resolve(__dirname, '../../fixtures/surfaces');

/** A saved surface page as a Document. */
export function loadSurfaceFixture(name: string): Document {
  // <link> elements are dropped: happy-dom would try (and fail, noisily) to fetch the stylesheets.
  const html = readFileSync(path.join(FIXTURE_DIR, name), 'utf8').replace(/<link\b[^>]*>/gi, '');
  return new DOMParser().parseFromString(html, 'text/html');
}
