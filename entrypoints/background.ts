import '../lib/zod-setup';
import { defineBackground } from '#imports';
import { registerBackgroundHandlers } from '../lib/background/handlers';

export default defineBackground(() => {
  registerBackgroundHandlers();
});
