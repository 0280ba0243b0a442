import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts?(x)'],
          environment: 'happy-dom',
          setupFiles: ['test/unit/setup.ts'],
          mockReset: true,
          restoreMocks: true,
        },
      },
      {
        test: {
          name: 'zammad',
          include: ['test/zammad/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
