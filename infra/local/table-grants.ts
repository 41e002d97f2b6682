import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type KeyScopedGrant, type TableAction, isAllowedByGrants, keyScopedAccess } from '../../shared/data/key-scoped-access';
import type { FunctionDeclaration } from '../../shared/http/functions';

/**
 * The twin's stand-in for `dynamodb:LeadingKeys`: DynamoDB Local accepts any credentials and
 * evaluates no IAM, so the twin checks, for functions whose declaration confines their table
 * access by partition key (`survey-link`), every item a DynamoDB call names against the same
 * grants the CDK stack writes into the function's role, and refuses the call as AWS would
 * (AccessDeniedException) before it reaches DynamoDB Local. Functions with `read`/`readwrite`
 * access reach the whole table here, as their roles do in AWS; the twin does not tell read
 * from write for them (docs/developers/security.md, "What the twin does not check").
 */

const invocation = new AsyncLocalStorage<{ name: string; grants: readonly KeyScopedGrant[] }>();

/** Runs one invocation of `name` under its declared table grants, if they are key-scoped. */
export function withTableGrants<T>(name: string, declaration: FunctionDeclaration | undefined, run: () => T): T {
  const access = declaration?.tableAccess;
  if (access !== 'survey-link') return run();
  return invocation.run({ name, grants: keyScopedAccess[access] }, run);
}

type Item = Record<string, unknown>;
/** A partition key value as the command carries it: plain (document client) or marshalled (`{ S: … }`). */
const leadingKeyOf = (key: unknown): string => {
  const pk = (key as Item | undefined)?.pk;
  return typeof pk === 'string' ? pk : String((pk as { S?: string } | undefined)?.S ?? '');
};

/** Every (action, partition key) a command asks for, as IAM authorizes it: batch and transaction items one by one. */
export function itemRequestsOf(commandName: string, input: Item): { action: TableAction | string; leadingKey?: string }[] {
  const command = commandName.replace(/Command$/, '').replace(/^(Get|Put|Update|Delete)$/, '$1Item');
  switch (command) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ action: `dynamodb:${command}`, leadingKey: leadingKeyOf(input.Key) }];
    case 'PutItem':
      return [{ action: 'dynamodb:PutItem', leadingKey: leadingKeyOf(input.Item) }];
    case 'BatchGet':
    case 'BatchGetItem':
      return Object.values(input.RequestItems as Record<string, { Keys: Item[] }>).flatMap((request) =>
        request.Keys.map((key) => ({ action: 'dynamodb:BatchGetItem', leadingKey: leadingKeyOf(key) })),
      );
    case 'BatchWrite':
    case 'BatchWriteItem':
      return Object.values(input.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>).flatMap((requests) =>
        requests.map((request) => ({ action: 'dynamodb:BatchWriteItem', leadingKey: leadingKeyOf(request.PutRequest?.Item ?? request.DeleteRequest?.Key) })),
      );
    case 'TransactWrite':
    case 'TransactWriteItems':
      return (input.TransactItems as Record<string, { Key?: Item; Item?: Item }>[]).map((entry) => {
        const [kind, operation] = Object.entries(entry)[0]!;
        const action = kind === 'ConditionCheck' ? 'dynamodb:ConditionCheckItem' : `dynamodb:${kind}Item`;
        return { action, leadingKey: leadingKeyOf(operation.Key ?? operation.Item) };
      });
    case 'TransactGet':
    case 'TransactGetItems':
      return (input.TransactItems as { Get: { Key: Item } }[]).map((entry) => ({ action: 'dynamodb:GetItem', leadingKey: leadingKeyOf(entry.Get.Key) }));
    default:
      // Query and Scan name their partition in an expression: a key-scoped function is granted neither.
      return [{ action: `dynamodb:${command}` }];
  }
}

const checkedClients = new WeakSet<object>();

/** Adds the check to the functions' shared DynamoDB client, once. */
export function enforceTableGrants(client: DynamoDBDocumentClient): void {
  if (checkedClients.has(client)) return;
  checkedClients.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const scope = invocation.getStore();
      if (scope) {
        for (const { action, leadingKey } of itemRequestsOf(context.commandName ?? '', args.input as Item)) {
          if (leadingKey === undefined || !isAllowedByGrants(scope.grants, action as TableAction, leadingKey)) {
            throw Object.assign(
              new Error(`The function ${scope.name} is not authorized to perform: ${action} on a partition key it was not granted (dynamodb:LeadingKeys)`),
              { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
            );
          }
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'twinTableGrants', priority: 'low' },
  );
}
