import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventsStack } from '../../infra/events-stack';
import { attachmentPrefix, inboundMessagePrefix, rawMessageRetentionDays } from '../../infra/inbound-mail';
import { type CfnResource, buildApp, exampleOperatorKeyHash, resourcesOf, synthTimeout, synthesize } from './synth';

/** SES receiving, the mail bucket and the functions' grants on it (infra/inbound-mail.ts). */

const stage = 'dev';
const domain = 'inbound.example.com';
let events: Template;
let api: Template;
let stack: EventsStack;

beforeAll(() => {
  const built = synthesize({ stage, operatorKeyHash: exampleOperatorKeyHash, inboundMailDomain: domain }, { bundle: false });
  events = built.eventsTemplate;
  api = built.apiTemplate;
  stack = built.events;
}, synthTimeout);

const bucketId = () => stack.getLogicalId(stack.events.inboundMail.bucket.node.defaultChild as never);
type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Principal?: unknown; Condition?: unknown };

function functionEntry(template: Template, name: string): CfnResource {
  const found = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).find(
    (fn) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_SERVICE_NAME === `switchboard-${name}`,
  );
  if (!found) throw new Error(`No function ${name}`);
  return found;
}
function roleStatements(template: Template, fn: CfnResource): Statement[] {
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const s3Statements = (statements: Statement[]) => statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
/** The object ARN pattern a statement grants, as a string with the bucket's logical id. */
const resourceText = (resource: unknown) => JSON.stringify(resource);

describe('the mail bucket', () => {
  it('is encrypted, blocks public access, owns its objects and expires raw messages only', () => {
    const bucket = resourcesOf(events, 'AWS::S3::Bucket')[bucketId()]!;
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: { Prefix?: string; ExpirationInDays?: number }[] }).Rules;
    expect(rules.filter((rule) => rule.ExpirationInDays !== undefined)).toEqual([expect.objectContaining({ Prefix: inboundMessagePrefix, ExpirationInDays: rawMessageRetentionDays })]);
  });

  it('refuses requests without TLS, and lets only SES of this account put messages, under inbound/', () => {
    const policy = Object.values(resourcesOf(events, 'AWS::S3::BucketPolicy')).find((candidate) => resourceText(candidate.Properties.Bucket).includes(bucketId()))!;
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Principal: { Service: 'ses.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      ]),
    );
    const sesPut = statements.find((statement) => statement.Action === 's3:PutObject')!;
    expect(resourceText(sesPut.Resource)).toContain(`/${inboundMessagePrefix}*`);
  });
});

describe('the receipt rule set', () => {
  it('has one rule for the inbound domain: scan, store under inbound/, then invoke mail-inbound asynchronously', () => {
    events.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    events.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: `switchboard-${stage}-inbound-mail` });
    const rules = Object.values(resourcesOf(events, 'AWS::SES::ReceiptRule'));
    expect(rules).toHaveLength(1);
    const rule = rules[0]!.Properties.Rule as { Recipients: string[]; ScanEnabled: boolean; Enabled: boolean; Actions: Record<string, Record<string, unknown>>[] };
    expect(rule).toMatchObject({ Recipients: [domain], ScanEnabled: true, Enabled: true });
    expect(rule.Actions.map((action) => Object.keys(action)[0])).toEqual(['S3Action', 'LambdaAction']);
    expect(rule.Actions[0]!.S3Action).toMatchObject({ BucketName: { Ref: bucketId() }, ObjectKeyPrefix: inboundMessagePrefix });
    expect(rule.Actions[1]!.LambdaAction).toMatchObject({ InvocationType: 'Event' });
  });

  it('lets only SES of this account invoke mail-inbound', () => {
    events.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it('is absent without an inbound mail domain', () => {
    const { eventsTemplate } = synthesize({ stage, operatorKeyHash: exampleOperatorKeyHash }, { bundle: false });
    eventsTemplate.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    eventsTemplate.resourceCountIs('AWS::S3::Bucket', 1);
  }, synthTimeout);
});

describe("the functions' grants on the bucket", () => {
  it('mail-inbound reads inbound/ and writes tenants/, nothing else in S3, and is told the bucket and domain', () => {
    const fn = functionEntry(events, 'mail-inbound');
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      MAIL_BUCKET: { Ref: bucketId() },
      MAIL_INBOUND_PREFIX: inboundMessagePrefix,
      INBOUND_MAIL_DOMAIN: domain,
    });
    const statements = s3Statements(roleStatements(events, fn));
    expect(statements.map((statement) => [statement.Action, resourceText(statement.Resource)])).toEqual([
      ['s3:GetObject', expect.stringContaining(`/${inboundMessagePrefix}*`)],
      ['s3:PutObject', expect.stringContaining(`/${attachmentPrefix}*`)],
    ]);
  });

  it('case-attachments may only read tenants/ (to sign download links)', () => {
    const fn = functionEntry(api, 'case-attachments');
    expect(resourceText((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.MAIL_BUCKET)).toContain(`sb-${stage}-mail-`);
    const statements = s3Statements(roleStatements(api, fn));
    expect(statements.map((statement) => [statement.Action, resourceText(statement.Resource)])).toEqual([['s3:GetObject', expect.stringContaining(`/${attachmentPrefix}*`)]]);
  });

  it('customer-erasure may only delete, under tenants/ and inbound/, and is told the bucket', () => {
    const fn = functionEntry(events, 'customer-erasure');
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.MAIL_BUCKET).toEqual({ Ref: bucketId() });
    const statements = s3Statements(roleStatements(events, fn));
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Action).toBe('s3:DeleteObject');
    const resources = [statements[0]!.Resource].flat().map(resourceText);
    expect(resources).toHaveLength(2);
    expect(resources).toEqual(expect.arrayContaining([expect.stringContaining(`/${attachmentPrefix}*`), expect.stringContaining(`/${inboundMessagePrefix}*`)]));
    for (const resource of resources) expect(resource).toContain(bucketId());
  });

  it('no other function has any S3 right on it', () => {
    for (const template of [events, api]) {
      for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
        const name = String((fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.POWERTOOLS_SERVICE_NAME ?? '');
        if (['switchboard-mail-inbound', 'switchboard-case-attachments', 'switchboard-customer-erasure'].includes(name) || !fn.Properties.Role) continue;
        const resources = resourceText(s3Statements(roleStatements(template, fn)).map((statement) => statement.Resource));
        expect(resources, name).not.toContain(bucketId());
        expect(resources, name).not.toContain(`sb-${stage}-mail-`);
      }
    }
  });
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged about inbound mail', () => {
    const { app } = buildApp({ stage: 'prod', operatorKeyHash: exampleOperatorKeyHash, inboundMailDomain: domain }, { bundle: false });
    const assembly = app.synth();
    const reportFile = path.join(assembly.directory, VALIDATION_REPORT_FILE);
    const report = existsSync(reportFile)
      ? (JSON.parse(readFileSync(reportFile, 'utf8')) as { pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[] })
      : { pluginReports: [] };
    const findings = report.pluginReports
      .filter((plugin) => plugin.pluginName !== 'Construct Annotations')
      .flatMap((plugin) => plugin.violations.filter((violation) => violation.severity === 'error' || violation.severity === 'warning').flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`)));
    expect(findings).toEqual([]);
  }, synthTimeout);
});
