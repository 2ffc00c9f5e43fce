module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'chat-client',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
