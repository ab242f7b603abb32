// The lint gate `npm test` runs with zero warnings allowed: typescript-eslint
// with the type-aware rules that catch real bugs here (floating promises,
// promises where a callback is expected, any), React's hook rules, and one
// import order. Formatting is Prettier's job (.prettierrc.json), not ESLint's.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import simpleImportSort from 'eslint-plugin-simple-import-sort'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', '.wafer-dev/', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A `let` that a callback reads before its one assignment (a service wired to its own event) stays a let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // vitest reads a fixture's first parameter as a pattern: `async ({}, use) =>` is how a fixture needs nothing.
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
      // Tests feed the detectors irregular whitespace on purpose, in template literals.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // One formatter for the whole app (renderer/src/lib/format.ts): numbers, money, durations and dates
    // are written there and nowhere else, so no screen shows `$2.5e-5` beside `$0.000096`.
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/lib/format.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['toFixed', 'toLocaleString', 'toPrecision', 'toExponential', 'toLocaleDateString', 'toLocaleTimeString'].map((name) => ({
          selector: `CallExpression[callee.property.name='${name}']`,
          message: `Format numbers and dates with renderer/src/lib/format.ts (fmtInt, fmtUsd, fmtMs, fmtPercent, fmtDecimal, fmtDateTime…), not .${name}().`,
        })),
        {
          selector: "NewExpression[callee.object.name='Intl']",
          message: 'Format numbers and dates with renderer/src/lib/format.ts, not Intl directly.',
        },
      ],
    },
  },
  {
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
    },
  },
  {
    // Plain JavaScript (scripts, bin, the stand-ins): Node globals, no type information.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: { ...globals.node },
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
)
