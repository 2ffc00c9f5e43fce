// One jest setup for every project: swc transpiles TypeScript (with legacy decorators and
// metadata, which Nest and class-validator need) and workspace libraries resolve to their sources.
const swc = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true, tsx: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  reporters: ['default', require.resolve('./tools/jest-summary-reporter.cjs')],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', swc] },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'json'],
  testEnvironment: 'node',
  testEnvironmentOptions: {
    customExportConditions: ['@parley/source', 'node', 'require', 'default'],
  },
  // Workspace packages are symlinks into libs/; their TypeScript sources must be transpiled too.
  transformIgnorePatterns: ['/node_modules/(?!@parley/)'],
};
