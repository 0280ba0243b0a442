import { URLS } from '../../dev/hosts';
import type { TabSnapshot } from '../../lib/capture/snapshot';
import { expect, test } from './fixtures';
import { of } from './timeline';

/**
 * Nothing of Témoin runs in the extension's isolated world during a page's load: the bridge is
 * injected by the background once each Axialys frame has loaded (webNavigation.onCompleted), and
 * the page hook holds what it captured until then. Creating that world during the load cost the
 * bar ~10 % of its load time (bench/results.md, page load).
 */
test('the bridge arrives after each Axialys frame has loaded, and receives what the hook held since document_start', async ({ context, extensionId, tabIdOf, callBackground }) => {
  test.setTimeout(60_000);
  for (const { url, frameUrl } of [
    { url: URLS.bar, frameUrl: URLS.bar },
    // The CRM tab: the bar in a cross-origin iframe; the CRM page itself gets nothing.
    { url: URLS.crm, frameUrl: URLS.bar },
  ]) {
    const page = await context.newPage();
    // The bar's logo fails: an image error, during the load by definition (before its load event).
    await page.route('**/commun/logo-blanc.svg', (route) => route.abort());
    const cdp = await context.newCDPSession(page);
    // Every frame's execution contexts and load events, in the order the browser reports them.
    const order: string[] = [];
    cdp.on('Runtime.executionContextCreated', ({ context: c }) => {
      if (c.auxData?.type === 'isolated' && String(c.origin).includes(extensionId)) order.push(`isolated ${c.auxData.frameId}`);
    });
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true });
    await cdp.send('Page.enable');
    await cdp.send('Runtime.enable');
    // The main frame's load (out-of-process iframes are separate targets: their load is checked through the snapshot below).
    cdp.on('Page.frameStoppedLoading', ({ frameId }) => order.push(`loaded ${frameId}`));
    await page.goto(url);
    const tabId = await tabIdOf(new URL(frameUrl).pathname);
    const snap = await callBackground<TabSnapshot>('getSnapshot', { tabId });
    const frame = snap.frames.find((f) => f.url.startsWith(frameUrl));
    expect(frame, `frames: ${snap.frames.map((f) => f.url).join(', ')}`).toBeDefined();
    // Only the Axialys frame is captured.
    expect(snap.frames).toHaveLength(1);
    if (url === URLS.bar) {
      // Captured by the hook during the load, held, and handed to the bridge once it came.
      expect(of(snap, 'resource')).toContainEqual(expect.objectContaining({ tag: 'img', url: expect.stringContaining('/commun/logo-blanc.svg') }));
    }
    if (url === URLS.bar) {
      const main = (await cdp.send('Page.getFrameTree')).frameTree.frame.id;
      // The isolated world of the bar's frame was created after that frame had stopped loading.
      expect(order.filter((o) => o.endsWith(main))).toEqual([`loaded ${main}`, `isolated ${main}`]);
    } else {
      // No isolated world in the CRM page's own frame.
      const main = (await cdp.send('Page.getFrameTree')).frameTree.frame.id;
      expect(order).not.toContain(`isolated ${main}`);
    }
    await page.close();
  }
});
