/** The vitest settings every package shares; a package's vitest.config.ts re-exports them. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests train real models on real data on 2 shared cores: generous limits.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
