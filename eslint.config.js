// Lint, and the dependency rule of DEVELOPERS.md as one rule (eslint/dependency-rule.js): core and
// analytics stay free of frameworks and infrastructure; the store imports no wiring; adapters never
// import each other or the store; only the channels dispatcher imports adapters. Dynamic import()
// is checked like a static import. test/unit/architecture holds a case per forbidden import.
import tseslint from 'typescript-eslint';
import { dependencyRule } from './eslint/dependency-rule.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'scratch/**', 'src/store/migrations/**', 'coverage/**', 'dist/**', 'build/**', 'build.*/**', 'bench/.out/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { rapport: dependencyRule },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      'rapport/layers': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
