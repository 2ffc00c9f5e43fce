module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  // One server and one browser per file; files run one after another to keep the 2-core CI calm.
  maxWorkers: 1,
  testTimeout: 60_000,
};
