// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process',
  'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'process', 'node:process',
  'better-sqlite3', 'nodemailer', 'commander', 'chalk',
];

/** Imports of our own folders a layer may not make (docs/ARCHITECTURE.md, "Layers"). */
function layer(files, forbidden, message) {
  return {
    files: [files],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/data/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      // Matching control characters is the point where we strip them from CSV cells (CWE-93).
      'no-control-regex': 'off',
    },
  },
  {
    // A file past ~300 lines or a function past ~50 is probably two things (the house rules).
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 300 }],
      'max-lines-per-function': ['error', { max: 60 }],
    },
  },
  // The layers: commands -> app -> core; app reaches the store, the channels and the templates only
  // through its ports (src/app/ports.ts), which src/cli.ts hands in.
  layer('src/commands/**/*.ts', ['**/store/**', '**/channels/**', '**/templates/**', '**/import/**', '**/core/*', '!**/core/errors.js', '**/cli.js'],
    'commands import app/, output/ and config/ only (and core/errors.js for a refused option).'),
  layer('src/app/**/*.ts', ['**/store/**', '**/channels/**', '**/templates/**', '**/output/**', '**/commands/**', '**/cli.js'],
    'app/ reaches the store, channels and templates through its ports (src/app/ports.ts), handed in by src/cli.ts.'),
  layer('src/output/**/*.ts', ['**/store/**', '**/channels/**', '**/templates/**', '**/import/**', '**/commands/**', '**/config/**', '**/cli.js'],
    'output/ reads core/ and the result types of app/ only.'),
  layer('src/store/**/*.ts', ['**/channels/**', '**/templates/**', '**/output/**', '**/commands/**', '**/import/**', '**/app/*', '!**/app/ports.js', '**/cli.js'],
    'the store implements app/ports.ts and uses core/; it knows nothing of the other adapters.'),
  layer('src/channels/**/*.ts', ['**/store/**', '**/templates/**', '**/output/**', '**/commands/**', '**/import/**', '**/app/*', '!**/app/ports.js', '!**/app/message.js', '**/cli.js'],
    'a channel implements app/ports.ts and uses core/ and config/; it knows nothing of the other adapters.'),
  layer('src/templates/**/*.ts', ['**/store/**', '**/channels/**', '**/output/**', '**/commands/**', '**/import/**', '**/app/*', '!**/app/ports.js', '!**/app/message.js', '**/cli.js'],
    'the renderer implements app/ports.ts and uses core/ and config/; it knows nothing of the other adapters.'),
  layer('src/import/**/*.ts', ['**/app/**', '**/store/**', '**/channels/**', '**/templates/**', '**/output/**', '**/commands/**', '**/cli.js'],
    'import/ reads exports into checked rows; applying them is app/import.ts.'),
  layer('src/config/**/*.ts', ['**/app/**', '**/store/**', '**/channels/**', '**/templates/**', '**/output/**', '**/commands/**', '**/import/**', '**/cli.js'],
    'config/ reads and checks dunning.config.json; it uses core/ only.'),
  {
    // The domain stays pure: no I/O, no clock, no terminal (DESIGN.md "Architecture").
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules,
        patterns: [{ group: ['../*', '!../core/*'], message: 'src/core imports nothing outside src/core.' }],
      }],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The core never reads the clock: take `now` as a parameter.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The core never reads the clock: take `now` as a parameter.' },
        { selector: 'TSAsExpression:not([typeAnnotation.typeName.name="const"])', message: 'No `as` casts in src/core.' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The SQLite adapter answers synchronously; its methods are async so that a failure reaches the
    // caller as a rejected promise, as the ports promise, even where nothing is awaited.
    files: ['src/store/sqlite/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // Only the output layer writes to the terminal.
    files: ['src/output/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*', 'scripts/**/*', '*.config.*'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'bin/*'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node, parserOptions: { projectService: false, project: null } },
  },
);
