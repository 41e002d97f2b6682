import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultyTwin, startFaultyTwin } from '../faults';
import { settle } from '../waiting';
import { ContractChecker, type Departure, type Exclusion, type OpenApiDocument, type Operation, formatDepartures, operationsOf, problemSlug, unseenResponses } from './document';
import { recipeFor } from './recipes';
import { type Scenario, seedScenario } from './scenario';
import { type ContractRequest, send } from './send';
import { situations } from './situations';
import { asSent, exampleRequests, variants, withOwnIdempotencyKey } from './variants';

/**
 * The contract test's files, each sweeping the operations of some tags with a twin and a
 * scenario of its own (vitest runs the files in parallel). The last group also takes every tag
 * no group names, so that an operation with a new tag is swept without editing this list.
 */
export const contractGroups = {
  accounts: ['Tenants', 'API keys', 'Settings', 'Operator', 'Meta', 'Audit log', 'Usage', 'People', 'Sign-up'],
  customers: ['Customers', 'Customer value', 'Contacts', 'Exports'],
  cases: ['Cases', 'Webhooks', 'Analytics'],
  surveys: ['Surveys', 'Survey web page'],
} as const;
type GroupName = keyof typeof contractGroups;
const lastGroup: GroupName = 'surveys';

/**
 * Documented (operation, status) pairs no request of the test produces, each with the reason.
 * `*` stands for every operation. Every other documented pair must be seen at least once.
 */
export const exclusions: Exclusion[] = [
  { operationId: '*', status: 500, reason: 'needs a fault: the DynamoDB fault proxy makes one for getCustomer (situation "DynamoDB fails unexpectedly")' },
  { operationId: '*', status: 503, reason: 'needs a fault: the DynamoDB fault proxy makes one for createCustomer (situation "DynamoDB unavailable")' },
  {
    operationId: '*',
    status: 429,
    access: ['public', 'operator'],
    reason: "only the edge limits these routes (per client address, AWS WAF), and the twin has no edge; the survey pages' own link guard is a situation",
  },
  { operationId: '*', status: 504, reason: 'needs a function to run past its timeout, which the twin cannot be made to do on purpose' },
  { operationId: 'submitSurveyPage', status: 409, reason: 'the survey must change (an SMS answer) while its form is being handled: a race the test cannot time' },
  { operationId: 'reactivatePerson', status: 409, reason: 'the person must change three times while being reactivated: a race the test cannot time' },
  { operationId: 'signOutEverywhere', status: 409, reason: "the person's record must change between its read and its write: a race the test cannot time" },
  { operationId: 'startSignup', status: 409, reason: 'three sign-ups for one address must land between each read and write: a race the test cannot time' },
];

const inGroup = (group: GroupName) => (operation: Operation) => {
  const named: readonly string[] = contractGroups[group];
  if (named.includes(operation.tag)) return true;
  return group === lastGroup && !Object.values(contractGroups).some((tags: readonly string[]) => tags.includes(operation.tag));
};

/** Destructive operations (deleting, closing) last, so that they do not take away what the others are aimed at. */
const destructive = (operation: Operation) => operation.method === 'DELETE' || operation.path.endsWith('/close');
const destructiveLast = (a: Operation, b: Operation) => Number(destructive(a)) - Number(destructive(b));

/** Starts a twin and reads the document it serves: at collection time, so that each operation gets a test of its own. */
export async function openContract(group: GroupName) {
  const twin: FaultyTwin = await startFaultyTwin();
  const served = await send(twin.url, 'GET', { path: '/openapi.json' });
  if (served.status !== 200) throw new Error(`GET /openapi.json answered ${served.status}`);
  const document = JSON.parse(served.text) as OpenApiDocument;
  const all = operationsOf(document);
  return { twin, document, all, operations: all.filter(inGroup(group)).sort(destructiveLast) };
}

export function contractSuite(group: GroupName, { twin, document, all, operations }: Awaited<ReturnType<typeof openContract>>) {
  const checker = new ContractChecker(document);
  /** Requests that did not do what they were made for: a valid request refused, a situation not met. */
  const recipeFailures: string[] = [];
  let scenario: Scenario;

  beforeAll(async () => {
    scenario = await seedScenario(twin, document, operations);
    await settle(twin);
  }, 180_000);
  afterAll(async () => {
    if (process.env.CONTRACT_REPORT) {
      mkdirSync('reports', { recursive: true });
      writeFileSync(`reports/contract-${group}.json`, JSON.stringify({ departures: checker.departures, recipeFailures, observed: [...checker.observed].sort() }, null, 2));
    }
    await twin.close();
  });

  const call = async (operation: Operation, name: string, request: ContractRequest) => {
    const answer = await send(twin.url, operation.method, request);
    return { answer, departures: checker.check(operation, name, answer) };
  };

  async function sweep(operation: Operation): Promise<Departure[]> {
    const recipe = recipeFor(operation, scenario);
    if (!recipe) throw new Error(`${operation.operationId} has no valid-request recipe: give its area a probe (tests/support/cross-tenant) or add one to tests/support/contract/recipes.ts`);
    const valid = asSent(operation, await recipe(scenario));
    const found: Departure[] = [];
    for (const variant of variants.filter((v) => v.phase === 'before')) {
      const made = await variant.make(operation, valid, scenario);
      if (!made) continue;
      const request = withOwnIdempotencyKey(operation, made);
      const undo = await variant.around?.(scenario);
      try {
        found.push(...(await call(operation, variant.name, request)).departures);
      } finally {
        undo?.();
      }
    }
    const { answer, departures } = await call(operation, 'valid', valid);
    found.push(...departures);
    if (answer.status >= 300) recipeFailures.push(`${operation.operationId}: the valid request was answered ${answer.status} ${problemSlug(answer) ?? answer.text.slice(0, 200)}`);
    // After the valid request: an example may change what the recipe aims at (settle a referral, say).
    for (const example of exampleRequests(operation, valid)) found.push(...(await call(operation, example.name, example.request)).departures);
    for (const variant of variants.filter((v) => v.phase === 'after')) {
      const request = await variant.make(operation, valid, scenario);
      if (!request) continue;
      const answers = await Promise.all(Array.from({ length: variant.copies ?? 1 }, () => call(operation, variant.name, request)));
      for (const { departures: more } of answers) found.push(...more);
    }
    return found;
  }

  const operationIds = new Set(operations.map((operation) => operation.operationId));
  const ownSituations = situations.filter((situation) => operationIds.has(situation.operationId));

  describe(`the API answers only what its OpenAPI document says (${group}: ${[...new Set(operations.map((o) => o.tag))].join(', ')})`, () => {
    it('has operations to sweep, every response schema compiles with Ajv 2020-12', () => {
      expect(operations.length).toBeGreaterThan(0);
      expect(checker.compileAll(all)).toEqual([]);
    });

    it('has a valid-request recipe for every operation of the document', () => {
      const without = operations.filter((operation) => !recipeFor(operation, scenario)).map((operation) => operation.operationId);
      expect(without, 'give the area a probe (tests/support/cross-tenant) or add a recipe (tests/support/contract/recipes.ts)').toEqual([]);
    });

    it.each(operations.map((operation) => [`${operation.method} ${operation.path} (${operation.operationId})`, operation] as const))('%s', async (_name, operation) => {
      const found = await sweep(operation);
      expect(formatDepartures(found), 'answers the document does not allow').toBe('');
    }, 120_000);

    it.each(ownSituations.map((situation) => [`${situation.operationId}: ${situation.name} (${situation.status})`, situation] as const))('situation %s', async (_name, situation) => {
      const operation = operations.find((o) => o.operationId === situation.operationId)!;
      let result: Awaited<ReturnType<typeof call>>;
      try {
        result = await call(operation, situation.name, await situation.request(scenario));
      } finally {
        situation.after?.(scenario);
      }
      if (result.answer.status !== situation.status) {
        recipeFailures.push(`${situation.operationId} "${situation.name}": answered ${result.answer.status} ${problemSlug(result.answer) ?? ''}, meant ${situation.status}`);
      }
      expect(result.answer.status, `the situation answered ${result.answer.status}: ${result.answer.text.slice(0, 300)}`).toBe(situation.status);
      expect(formatDepartures(result.departures), 'answers the document does not allow').toBe('');
    }, 60_000);

    it('every valid request succeeded (its recipe is right)', () => {
      expect(recipeFailures.filter((failure) => failure.includes('valid request'))).toEqual([]);
    });

    it('saw every documented status of every operation, but for the exclusions', () => {
      const unseen = unseenResponses(operations, checker.observed, exclusions);
      expect(unseen, 'documented answers never produced: add a situation (tests/support/contract/situations.ts) or an exclusion with its reason').toEqual([]);
    });
  });
}
