import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // e2e tests spawn the built CLI and real servers; a 2-core machine needs room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
