import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.nx/**',
      '.data/**',
      '**/artifacts/**',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'scope:contracts',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: [
                '@nestjs/*',
                'mongoose',
                'mongodb',
                'react',
                'react-dom',
                'socket.io',
                'socket.io-client',
                'express',
              ],
            },
            {
              sourceTag: 'scope:embedded-mongo',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: [
                '@nestjs/*',
                'mongoose',
                'react',
                'react-dom',
                'socket.io',
                'socket.io-client',
                'express',
              ],
            },
            {
              sourceTag: 'scope:server',
              onlyDependOnLibsWithTags: ['scope:contracts', 'scope:embedded-mongo'],
            },
            {
              sourceTag: 'scope:chat-client',
              onlyDependOnLibsWithTags: ['scope:contracts'],
              bannedExternalImports: [
                '@nestjs/*',
                'mongoose',
                'mongodb',
                'react',
                'react-dom',
                'socket.io',
                'express',
              ],
            },
            {
              sourceTag: 'scope:web',
              onlyDependOnLibsWithTags: ['scope:contracts', 'scope:chat-client'],
              bannedExternalImports: ['@nestjs/*', 'mongoose', 'mongodb', 'socket.io'],
            },
            {
              sourceTag: 'scope:web-e2e',
              onlyDependOnLibsWithTags: ['scope:contracts', 'scope:embedded-mongo'],
            },
            {
              sourceTag: 'scope:chaos',
              onlyDependOnLibsWithTags: [
                'scope:contracts',
                'scope:chat-client',
                'scope:embedded-mongo',
              ],
            },
            {
              sourceTag: 'scope:bench',
              onlyDependOnLibsWithTags: ['scope:contracts', 'scope:embedded-mongo'],
            },
          ],
        },
      ],
    },
  },
  {
    // The embedded server is framework-free, but its tests prove Mongoose works against it.
    files: ['libs/embedded-mongo/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [{ sourceTag: 'scope:embedded-mongo', onlyDependOnLibsWithTags: [] }],
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.e2e-spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
