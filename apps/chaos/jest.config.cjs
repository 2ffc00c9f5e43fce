module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'chaos',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The chaos and idempotency tests start the built server and kill it; one file at a time on the
  // 2-core CI.
  maxWorkers: 1,
  testTimeout: 60_000,
};
