import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * The layers (docs/developers/contributing.md, "Where a change goes"). Each file gets one
 * no-restricted-imports setting (a later block replaces an earlier one's, it does not add to
 * it), so every block below lists all of its layer's restrictions. Import circles are checked
 * by infra/tools/import-cycles.ts, which `npm run lint` runs after ESLint.
 */
const dynamoDbOnlyInData = {
  regex: '^@aws-sdk/(client-dynamodb|lib-dynamodb|util-dynamodb)$',
  message: 'Only shared/data/ builds DynamoDB commands and knows key layouts: add a repo function there.',
};
const noFunctionsImports = {
  regex: '(^|/)functions/',
  message: 'Nothing imports a function\'s entry point: move what is shared into shared/.',
};
const noSiblingFunctionImports = {
  regex: '^\\.\\./[^.]',
  message: 'A function does not import another function: move what both need into shared/.',
};
const domainRules = [
  {
    regex: '(^|/)(http|data|ports|services)(/|$)|(^|/)observability$',
    message: 'Domain code is pure rules: it imports only domain/, schemas/ and event definitions. Let the caller do the I/O.',
  },
  {
    regex: '(^|/)events/(?!(catalog|events|[a-z-]+-events)$)',
    message: 'Domain code may import the event definitions (events/catalog, events/events, events/*-events), not the consumer or publisher.',
  },
  {
    regex: '^(@aws-sdk|@middy|@aws-lambda-powertools)/|^aws-lambda$',
    message: 'Domain code is pure rules: no AWS SDK, middy, Powertools or Lambda types.',
  },
];
const schemaRules = [
  {
    regex: '^(?!\\.|zod$)',
    message: 'A schema module imports only zod (through shared/zod.ts).',
  },
  {
    regex: '^\\.\\./(?!zod$|domain/|events/(catalog|[a-z-]+-events)$)',
    message: 'A schema module imports only zod, other schemas, the domain vocabulary and event definitions.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', '.ci/', 'reports/', 'web/dist/', 'web/.build-*/', 'site/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/data/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [dynamoDbOnlyInData, noFunctionsImports] }] },
  },
  {
    files: ['shared/data/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noFunctionsImports] }] },
  },
  {
    files: ['functions/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [dynamoDbOnlyInData, noFunctionsImports, noSiblingFunctionImports] }] },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [dynamoDbOnlyInData, noFunctionsImports, ...domainRules] }] },
  },
  {
    files: ['shared/schemas/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...schemaRules, noFunctionsImports] }] },
  },
  {
    // The local twin, benchmarks and tests talk to a person on a terminal.
    files: ['infra/local/**', 'bench/**', 'tests/**', 'infra/app.ts', 'client/tools/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The typed client runs in browsers too (the web console imports it): nothing Node-only.
    files: ['client/**/*.ts'],
    ignores: ['client/tools/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^node:|^(fs|path|crypto|http|https|url|os)$', message: 'client/ runs in browsers too: no Node modules (client/tools/ may).' }] }] },
  },
  {
    // The example integrators copy: typed through and through, no casts, no `!`, no `any`
    // (tests/integration/typed-client.test.ts checks the same with the compiler).
    files: ['client/examples/**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The console: browser code. A page that fails to render reports it on the browser's console.
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      'no-console': ['error', { allow: ['error'] }],
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(functions|infra|shared/(data|services|ports))/', message: 'The console reaches the API only through the typed client (web/src/api/).' }] }],
    },
  },
);
