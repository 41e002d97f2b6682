import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { tableDefinition } from '../shared/data/table';
import type { StageProfile } from './config';

export interface DataStackProps extends StackProps {
  profile: StageProfile;
}

/** The single DynamoDB table, built from the same definition the local twin uses. */
export class DataStack extends Stack {
  readonly table: ITable;
  /** The master key of sealed secrets (shared/ports/secret-box.ts): webhook signing secrets. */
  readonly secretKey: Key;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { profile } = props;

    const table = new Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      stream: StreamViewType[tableDefinition.stream],
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS-managed key (aws/dynamodb) rather than the AWS-owned default: every use of the
      // key is recorded in CloudTrail, which matters for a table of customers' personal data,
      // at no key administration and negligible cost (DynamoDB caches its data keys).
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: profile.isProduction,
      removalPolicy: profile.removalPolicy,
    });
    for (const index of tableDefinition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
      });
    }
    this.table = table;

    // Envelope encryption of webhook signing secrets: the webhooks function may only make data
    // keys, the delivery functions may only decrypt them (infra/lambda-function.ts, secretBox).
    this.secretKey = new Key(this, 'SecretKey', {
      description: `Switchboard ${profile.stage}: seals webhook signing secrets`,
      enableKeyRotation: true,
      removalPolicy: profile.removalPolicy,
    });

    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The Switchboard DynamoDB table' });
  }
}
