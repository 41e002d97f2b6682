import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '../../shared/data/table';
import { type CfnResource, exampleOperatorKeyHash, resourcesOf, synthTimeout, synthesize } from './synth';

function onlyTable(template: Template): CfnResource {
  const tables = Object.values(resourcesOf(template, 'AWS::DynamoDB::Table'));
  expect(tables).toHaveLength(1);
  return tables[0]!;
}

describe('data stack, dev', () => {
  let template: Template;
  beforeAll(() => {
    template = synthesize({ stage: 'dev', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false }).dataTemplate;
  }, synthTimeout);

  it('has one table keyed pk/sk as strings, as tableDefinition declares', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: tableDefinition.partitionKey, AttributeType: 'S' },
        { AttributeName: tableDefinition.sortKey, AttributeType: 'S' },
      ]),
    });
  });

  it('has exactly the declared global secondary indexes, projecting their keys only', () => {
    const expected = tableDefinition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }));
    expect(onlyTable(template).Properties.GlobalSecondaryIndexes).toEqual(expected);
    const indexAttributes = tableDefinition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayWith(indexAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    });
  });

  it('is on-demand, with point-in-time recovery, TTL on the declared attribute and KMS encryption', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('can be deleted with the stage: no deletion protection, DESTROY', () => {
    const table = onlyTable(template);
    expect(table.Properties.DeletionProtectionEnabled).not.toBe(true);
    expect(table.DeletionPolicy).toBe('Delete');
  });

  it('outputs the table name', () => {
    template.hasOutput('TableName', {});
  });
});

describe('data stack, prod', () => {
  let template: Template;
  beforeAll(() => {
    template = synthesize({ stage: 'prod', operatorKeyHash: exampleOperatorKeyHash }, { bundle: false }).dataTemplate;
  }, synthTimeout);

  it('protects the table: deletion protection on, retained on stack deletion or replacement', () => {
    const table = onlyTable(template);
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});
