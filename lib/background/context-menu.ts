import { browser } from '#imports';
import { t } from '../i18n';

export const REPORT_MENU_ID = 'temoin-report';

/**
 * "Signaler un incident" in the page's context menu. A click there grants activeTab like the
 * toolbar button, and opens the same popup (action.openPopup: Chrome 127+, Firefox).
 */
export function registerContextMenu(): void {
  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.removeAll().then(() =>
      browser.contextMenus.create({ id: REPORT_MENU_ID, title: t('contextMenuReport'), contexts: ['page', 'frame', 'selection', 'link', 'image'] }),
    ).catch(() => undefined);
  });
  browser.contextMenus.onClicked.addListener((info) => {
    if (info.menuItemId !== REPORT_MENU_ID) return;
    const action = (browser as unknown as { action?: { openPopup(): Promise<void> }; browserAction?: { openPopup(): Promise<void> } });
    void (action.action ?? action.browserAction)?.openPopup().catch(() => undefined);
  });
}
