import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Redis/SFTP suites start their own servers on 127.0.0.1; keep files parallel but bounded.
    maxWorkers: 2,
  },
});
