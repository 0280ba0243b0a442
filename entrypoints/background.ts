import '../lib/zod-setup';
import { defineBackground } from '#imports';
import { registerContextMenu } from '../lib/background/context-menu';
import { registerBackgroundHandlers } from '../lib/background/handlers';
import { registerDelivery } from '../lib/background/delivery';

export default defineBackground(() => {
  registerBackgroundHandlers();
  registerContextMenu();
  registerDelivery();
});
