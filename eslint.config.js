// The dependency rule of DEVELOPERS.md, enforced: core and analytics stay free of frameworks and
// infrastructure; adapters never import each other or the store.
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

const frameworks = [
  'fastify', 'fastify/*', '@fastify/*', 'drizzle-orm', 'drizzle-orm/*', '@slack/*', 'agenda',
  '@agendajs/*', 'pg', '@electric-sql/*', 'imapflow', 'nodemailer', 'smtp-server',
];
const layers = (...names) => names.flatMap((n) => [`**/${n}/**`, `**/${n}`]);
const adapterNames = readdirSync(new URL('./adapters/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'scratch/**', 'src/store/migrations/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict(
      [...frameworks, ...layers('store', 'http', 'jobs', 'cli', 'adapters')],
      'src/core depends on no framework, store, HTTP, jobs, CLI or adapter (DEVELOPERS.md).',
    ),
  },
  {
    files: ['src/analytics/**/*.ts'],
    rules: restrict(
      [...frameworks, ...layers('store', 'http', 'jobs', 'cli', 'adapters')],
      'src/analytics is pure computation over plain data (DEVELOPERS.md).',
    ),
  },
  ...adapterNames.map((name) => ({
    files: [`adapters/${name}/**/*.ts`],
    rules: restrict(
      [
        ...layers('store', 'http', 'jobs', 'cli'),
        'drizzle-orm', 'drizzle-orm/*', 'pg', '@electric-sql/*', 'agenda', '@agendajs/*',
        ...adapterNames.filter((o) => o !== name).flatMap((o) => [`**/adapters/${o}/**`, `../${o}/**`, `../${o}`]),
      ],
      'An adapter imports only core (and its own vendor library): never the store or another adapter.',
    ),
  })),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
