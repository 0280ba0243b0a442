import '../lib/zod-setup';
import { defineBackground } from '#imports';
import { registerContextMenu } from '../lib/background/context-menu';
import { registerBackgroundHandlers } from '../lib/background/handlers';
import { registerBridgeInjection } from '../lib/background/bridge-injection';
import { registerDelivery } from '../lib/background/delivery';

export default defineBackground(() => {
  registerBackgroundHandlers();
  registerBridgeInjection();
  registerContextMenu();
  registerDelivery();
});
