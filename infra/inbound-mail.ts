import { Aws, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType, S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';

/** Where SES's S3 action stores each message: `inbound/<SES message id>` (functions/mail-inbound reads it there). */
export const inboundMessagePrefix = 'inbound/';
/** Where mail-inbound keeps the attachments it accepts: `tenants/<tenantId>/attachments/<attachmentId>`. */
export const attachmentPrefix = 'tenants/';
/** Raw messages are kept this long for a redrive or an inquiry, then deleted; the case keeps the text and attachments. */
export const rawMessageRetentionDays = 30;

/**
 * The bucket's name, fixed so that the API stack's function names it without a cross-stack export
 * (and cdk-nag's finding on its grant can be acknowledged by name): unique per account and region.
 */
export const mailBucketName = (stage: string, account: string = Aws.ACCOUNT_ID, region: string = Aws.REGION) => `sb-${stage}-mail-${account}-${region}`;

export interface InboundMailProps {
  stage: string;
  /** `-c inboundMailDomain`: the domain SES receives for (MX record, verified identity). Undefined: no receipt rule set. */
  domain?: string;
  /** functions/mail-inbound. */
  receiver: NodejsFunction;
  removalPolicy: RemovalPolicy;
}

/**
 * Customers' e-mail to tenants' inbound mailboxes (`<tenant id>@<domain>`): a receipt rule set
 * whose one rule, for the stage's inbound domain, scans the message for spam and viruses, stores
 * it in the mail bucket (S3 action) and then invokes mail-inbound asynchronously with the receipt
 * record (Lambda action): its retries and failed-invocations queue are those of every event
 * function (infra/event-backbone.ts). An account and region has one active rule set: CloudFormation
 * cannot activate it, the operator does (docs/operations.md, "Inbound mail").
 *
 * The bucket: SSE-S3, TLS only, no public access, objects owned by the bucket's account; raw
 * messages expire after `rawMessageRetentionDays`, attachments stay with their cases; both are deleted
 * sooner when their customer is erased (allowErasure).
 */
export class InboundMail extends Construct {
  readonly bucket: Bucket;
  readonly ruleSet?: ReceiptRuleSet;
  private readonly stage: string;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    this.stage = props.stage;
    this.bucket = new Bucket(this, 'MailBucket', {
      bucketName: mailBucketName(props.stage),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Without autoDeleteObjects (a custom resource function of its own): destroying a stage needs the bucket emptied first (docs/operations.md, "Destroy").
      removalPolicy: props.removalPolicy,
      lifecycleRules: [
        { id: 'RawMessages', prefix: inboundMessagePrefix, expiration: Duration.days(rawMessageRetentionDays) },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only SES (the receipt rule, for this account) writes raw messages and only the mail-inbound, case-attachments and customer-erasure roles read, write or delete objects, each on its own prefixes; the functions log every message and download they handle. Server access logs would add a second bucket of personal data.',
    });

    const receiver = props.receiver;
    receiver.addEnvironment('MAIL_BUCKET', this.bucket.bucketName);
    receiver.addEnvironment('MAIL_INBOUND_PREFIX', inboundMessagePrefix);
    if (props.domain) receiver.addEnvironment('INBOUND_MAIL_DOMAIN', props.domain);
    receiver.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${inboundMessagePrefix}*`)] }));
    receiver.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${attachmentPrefix}*`)] }));
    this.acknowledgePrefixGrants(receiver, [inboundMessagePrefix, attachmentPrefix], 'mail-inbound reads the messages SES stored (inbound/<SES message id>) and writes the attachments it keeps (tenants/<tenantId>/attachments/<id>): object names are made at run time, under these prefixes only.');

    if (props.domain) {
      this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', {
        receiptRuleSetName: `switchboard-${props.stage}-inbound-mail`,
        rules: [
          {
            receiptRuleName: `switchboard-${props.stage}-tenant-mailboxes`,
            recipients: [props.domain],
            scanEnabled: true,
            // A customer's mail should arrive even from a server without TLS; the bucket takes TLS only.
            tlsPolicy: TlsPolicy.OPTIONAL,
            actions: [
              new S3({ bucket: this.bucket, objectKeyPrefix: inboundMessagePrefix }),
              new Lambda({ function: receiver as IFunction, invocationType: LambdaInvocationType.EVENT }),
            ],
          },
        ],
      });
    }
  }

  /**
   * Lets a function of another stack (the API's) sign download links of attachments: GetObject under
   * `tenants/` only, and MAIL_BUCKET; the bucket named by its fixed name, in that stack's account and region.
   */
  allowAttachmentDownloads(fn: NodejsFunction): void {
    const name = mailBucketName(this.stage);
    fn.addEnvironment('MAIL_BUCKET', name);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::${name}/${attachmentPrefix}*`] }));
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${mailBucketName(this.stage, '<AWS::AccountId>', '<AWS::Region>')}/${attachmentPrefix}*]`,
      reason: 'case-attachments signs download links of the attachments mail-inbound kept (tenants/<tenantId>/attachments/<id>), named at run time, under this prefix only; it checks the case and tenant in the table first.',
    });
  }

  /**
   * Lets customer-erasure delete an erased customer's mail files: DeleteObject under `tenants/`
   * (attachments) and `inbound/` (raw messages), nothing else, and MAIL_BUCKET.
   */
  allowErasure(fn: NodejsFunction): void {
    fn.addEnvironment('MAIL_BUCKET', this.bucket.bucketName);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [this.bucket.arnForObjects(`${attachmentPrefix}*`), this.bucket.arnForObjects(`${inboundMessagePrefix}*`)] }));
    this.acknowledgePrefixGrants(fn, [attachmentPrefix, inboundMessagePrefix], "customer-erasure deletes the attachments (tenants/<tenantId>/attachments/<id>) and raw messages (inbound/<SES message id>) of an erased customer's cases, named at run time by the case's items, under these prefixes only.");
  }

  private acknowledgePrefixGrants(fn: NodejsFunction, prefixes: readonly string[], reason: string): void {
    const bucketArn = `<${Stack.of(fn).getLogicalId(this.bucket.node.defaultChild as never)}.Arn>`;
    for (const prefix of prefixes) Validations.of(fn.role!).acknowledge({ id: `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}*]`, reason });
  }
}
