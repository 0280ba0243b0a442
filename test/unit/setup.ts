import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Settings } from 'luxon';

Settings.defaultZone = 'Europe/Paris';

beforeEach(() => {
  fakeBrowser.reset();
});
