import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, repositoryImportGraph } from '../../infra/tools/import-cycles';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The no-restricted-imports messages ESLint gives `source` as if it were the file at `filePath`. */
async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(source, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('the layer rules (eslint.config.js, docs/developers/contributing.md)', () => {
  it.each([
    ['shared/domain/example.ts', "import type { HttpError } from '../http/problem';"],
    ['shared/domain/analytics/example.ts', "import { getCounters } from '../../data/analytics-repo';"],
    ['shared/domain/example.ts', "import { sendSms } from '../ports/sms-sender';"],
    ['shared/domain/example.ts', "import { logger } from '../observability';"],
    ['shared/domain/example.ts', "import { createEventConsumer } from '../events/consumer';"],
    ['shared/domain/example.ts', "import type { Context } from 'aws-lambda';"],
    ['shared/domain/example.ts', "import middy from '@middy/core';"],
    ['shared/domain/example.ts', "import { Logger } from '@aws-lambda-powertools/logger';"],
    ['shared/services/example.ts', "import { GetCommand } from '@aws-sdk/lib-dynamodb';"],
    ['shared/http/example.ts', "import { unmarshall } from '@aws-sdk/util-dynamodb';"],
    ['functions/example/handler.ts', "import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';"],
    ['functions/example/handler.ts', "import { relay } from '../event-relay/handler';"],
    ['shared/schemas/example.ts', "import { newId } from '../ids';"],
    ['shared/schemas/example.ts', "import { routes } from '../http/routes';"],
    ['shared/schemas/example.ts', "import { parsePhoneNumber } from 'libphonenumber-js';"],
  ])('refuses in %s: %s', async (filePath, source) => {
    expect(await restrictedImports(filePath, `${source}\nexport {};\n`)).toHaveLength(1);
  });

  it.each([
    ['shared/domain/example.ts', "import type { FieldError } from './errors';\nimport { contactClosed } from '../events/contact-events';\nimport type { Case } from '../schemas/case';"],
    ['shared/domain/analytics/example.ts', "import { newEvent } from '../../events/events';\nimport type { EventDefinition } from '../../events/catalog';"],
    ['shared/data/example.ts', "import { GetCommand } from '@aws-sdk/lib-dynamodb';"],
    ['shared/schemas/example.ts', "import * as z from '../zod';\nimport { Iso8601 } from './common';\nimport { metricNames } from '../domain/analytics/metrics';\nimport { allEvents } from '../events/all-events';"],
    ['shared/http/routes/example.ts', "import { type RouteDeclaration } from '../route-types';"],
    ['functions/example/handler.ts', "import { createApiHandler } from '../../shared/http/handler';"],
  ])('allows in %s: %s', async (filePath, source) => {
    expect(await restrictedImports(filePath, `${source}\nexport {};\n`)).toEqual([]);
  });
});

describe('the import-cycle check (infra/tools/import-cycles.ts)', () => {
  it('finds a circle of two modules and of three, type-only imports and re-exports included', () => {
    const graph = importGraph(
      new Map([
        ['shared/domain/a.ts', "import type { B } from '../schemas/b';\nexport const a = 1;"],
        ['shared/schemas/b.ts', "import { a } from '../domain/a';\nexport type B = typeof a;"],
        ['shared/http/x.ts', "export { y } from './y';"],
        ['shared/http/y.ts', "import { z } from './routes/z';\nexport const y = z;"],
        ['shared/http/routes/z.ts', "import { x } from '../x';\nexport const z = x;"],
        ['shared/http/free.ts', "import { a } from '../domain/a';\nimport * as zod from 'zod';"],
      ]),
    );
    expect(importCycles(graph)).toEqual([
      ['shared/domain/a.ts', 'shared/schemas/b.ts', 'shared/domain/a.ts'],
      ['shared/http/routes/z.ts', 'shared/http/x.ts', 'shared/http/y.ts', 'shared/http/routes/z.ts'],
    ]);
  });

  it('finds none in a graph without circles', () => {
    const graph = importGraph(new Map([['a.ts', "import { b } from './b';"], ['b.ts', "import { c } from './c';"], ['c.ts', '']]));
    expect(importCycles(graph)).toEqual([]);
  });

  it('finds none in shared/ and functions/', () => {
    expect(importCycles(repositoryImportGraph(root))).toEqual([]);
  });
});
