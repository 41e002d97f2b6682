import type { FunctionDeclaration } from '../http/route-types';

/**
 * The one declaration of who consumes which events. The CDK stack builds an EventBridge rule,
 * target, retry policy and dead-letter queue (with an alarm) from each subscription; the local
 * twin's bus applies the same patterns and invokes the same consumers.
 *
 * Each event function lives at `functions/<name>/handler.ts`.
 */
export const eventFunctions = {} as const satisfies Record<string, FunctionDeclaration>;
export type EventFunctionName = keyof typeof eventFunctions;

/** The subset of EventBridge's event pattern language the twin's bus implements. */
export type PatternValue = string | { prefix: string } | { 'anything-but': string[] } | { exists: boolean };
export interface EventPattern {
  source: string[];
  'detail-type'?: string[];
  detail?: Record<string, PatternValue[] | Record<string, PatternValue[]>>;
}

export interface Subscription {
  /** Becomes the rule name: `<stage>-<name>`. */
  name: string;
  description: string;
  pattern: EventPattern;
  consumer: EventFunctionName;
  /** EventBridge's retry policy for the target; defaults 185 attempts over 24 h are too slow to notice a bug. */
  retry?: { maximumRetryAttempts: number; maximumEventAgeSeconds: number };
}

export const defaultRetry = { maximumRetryAttempts: 8, maximumEventAgeSeconds: 60 * 60 };

export const subscriptions: readonly Subscription[] = [];
