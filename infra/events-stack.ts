import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { tableIndexesResource } from './api-stack';
import type { StageProfile } from './config';
import { EventBackbone } from './event-backbone';
import { LiveChannel } from './live-channel';
import type { PersonTokens } from './people-stack';
import { type FunctionDeclaration } from '../shared/http/functions';
import { type EventFunctionName, eventFunctions } from '../shared/events/subscriptions';

export interface EventsStackProps extends StackProps {
  profile: StageProfile;
  /** The data stack's table, with its stream. */
  table: ITable;
  secretKey: IKey;
  operatorKeyHash?: string;
  publicBaseUrl?: string;
  inboundMailDomain?: string;
  /** The people user pool: the live channel's `$connect` verifies people's access tokens. */
  people: PersonTokens;
}

/**
 * The event side of a stage (see EventBackbone): deployed after the data stack, whose table
 * stream it reads, and before the API stack, whose timer-setting functions use its schedule group.
 */
export class EventsStack extends Stack {
  readonly events: EventBackbone;
  /** The live channel's WebSocket API, which the consumers that push (`pushesLive`) post to. */
  readonly live: LiveChannel;

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
    this.live = new LiveChannel(this, 'Live', {
      profile: props.profile,
      table: props.table,
      secretKey: props.secretKey,
      tableIndexes: tableIndexesResource(props.table),
      people: props.people,
    });
    for (const [name, declaration] of Object.entries<FunctionDeclaration>(eventFunctions)) {
      if (declaration.pushesLive) this.live.grantPush(this.events.functions[name as EventFunctionName]);
    }
  }
}
