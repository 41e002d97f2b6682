import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { tableIndexesResource } from './api-stack';
import type { StageProfile } from './config';
import { EventBackbone } from './event-backbone';

export interface EventsStackProps extends StackProps {
  profile: StageProfile;
  /** The data stack's table, with its stream. */
  table: ITable;
  secretKey: IKey;
  operatorKeyHash?: string;
  publicBaseUrl?: string;
  inboundMailDomain?: string;
}

/**
 * The event side of a stage (see EventBackbone): deployed after the data stack, whose table
 * stream it reads, and before the API stack, whose timer-setting functions use its schedule group.
 */
export class EventsStack extends Stack {
  readonly events: EventBackbone;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    this.events = new EventBackbone(this, 'Events', {
      profile: props.profile,
      table: props.table,
      secretKey: props.secretKey,
      tableIndexes: tableIndexesResource(props.table),
      operatorKeyHash: props.operatorKeyHash,
      publicBaseUrl: props.publicBaseUrl,
      inboundMailDomain: props.inboundMailDomain,
    });
  }
}
