import { afterEach, describe, expect, it } from 'vitest';
import { openOrClosedShadowRoot } from '../../../lib/capture/frame-agent';

const g = globalThis as { chrome?: unknown };
const saved = g.chrome;
afterEach(() => {
  g.chrome = saved;
});

describe('the agent reaches shadow roots for the fallback screenshot', () => {
  it('open ones directly', () => {
    g.chrome = undefined;
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    expect(openOrClosedShadowRoot(host)).toBe(root);
    expect(openOrClosedShadowRoot(document.createElement('div'))).toBeNull();
  });

  it('closed ones through the extension API, which the page cannot call', () => {
    const host = document.createElement('x-ferme');
    const root = host.attachShadow({ mode: 'closed' });
    g.chrome = undefined;
    expect(openOrClosedShadowRoot(host)).toBeNull();
    g.chrome = { dom: { openOrClosedShadowRoot: (el: HTMLElement) => (el === host ? root : null) } };
    expect(openOrClosedShadowRoot(host)).toBe(root);
    // An API that throws (another browser, a reloaded extension) is not the page's problem.
    g.chrome = { dom: { openOrClosedShadowRoot: () => { throw new Error('gone'); } } };
    expect(openOrClosedShadowRoot(host)).toBeNull();
  });
});
