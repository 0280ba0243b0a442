import { expect, type FrameLocator, type Page } from '@playwright/test';
import { URLS } from '../../dev/hosts';
import type { TabSnapshot, TimelineEvent } from '../../lib/capture/snapshot';

/** Triggers one fault of the demo menu (dev/surfaces/README.md) on a page or in a frame. */
export async function fault(page: Page | FrameLocator, name: string): Promise<void> {
  await page.locator('#demo-faults-toggle').click();
  await page.locator(`#demo-faults-menu [data-fault="${name}"]`).click();
}

/** The snapshot's timeline events of one kind. */
export const of = <K extends TimelineEvent['k']>(snap: TabSnapshot, k: K) =>
  snap.timeline.filter((e): e is Extract<TimelineEvent, { k: K }> => e.k === k);

/** Opens the demo operator bar at its production URL and waits for its CTI link. */
export async function openBar(page: Page): Promise<void> {
  await page.goto(URLS.bar);
  await expect(page.locator('#cti-etat')).toHaveAttribute('data-etat', 'connecte');
}
