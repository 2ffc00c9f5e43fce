module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'embedded-mongo',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
