module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'bench',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // The smoke test starts real servers and load generators; one at a time on the 2-core CI.
  maxWorkers: 1,
  testTimeout: 120_000,
};
