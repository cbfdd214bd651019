import js from '@eslint/js';
import i18next from 'eslint-plugin-i18next';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/cdk.out/**',
      'data/**',
      'coverage/**',
      '.test-output/**',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // openid-client marks it deprecated only "to make it stand out": plain-http providers are
      // allowed on loopback alone (development and the tests' provider), see oidc.client.ts.
      '@typescript-eslint/no-deprecated': [
        'error',
        { allow: [{ from: 'package', package: 'openid-client', name: 'allowInsecureRequests' }] },
      ],
    },
  },
  {
    // Props declare callbacks as methods (`onClose(): void`); React never rebinds `this`.
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // Every word a person reads comes from the catalogs (apps/web/src/i18n): text between JSX
    // tags, strings in JSX expressions, and the props that are read out or shown.
    files: ['apps/web/src/**/*.tsx', 'apps/web/src/**/*.ts'],
    ignores: [
      'apps/web/src/**/*.test.tsx',
      'apps/web/src/**/*.test.ts',
      'apps/web/src/**/*.test-utils.ts',
    ],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          'should-validate-template': true,
          'jsx-attributes': {
            include: [
              'aria-label',
              'aria-description',
              'aria-roledescription',
              'aria-valuetext',
              'alt',
              'placeholder',
              'title',
              'label',
              '.*Label',
              'empty',
              'hint',
              'intro',
            ],
            exclude: ['.*'],
          },
        },
      ],
      // Strings made outside JSX that still reach the screen: page titles and toasts.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.name='useTitle'] > :matches(Literal[value=/[A-Za-z]/], TemplateLiteral)",
          message: 'Page titles come from the catalogs: useTitle(t(…)).',
        },
        {
          selector:
            // The first argument only: the tone after it ('success') is not shown.
            'CallExpression[callee.property.name=/^(show|update|finish|showError|progress)$/] > :matches(Literal[value=/[A-Za-z]{2}/], TemplateLiteral[quasis.0.value.raw=/[A-Za-z]{2}/]):first-child',
          message: 'Toast texts come from the catalogs: toasts.show(t(…)).',
        },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
