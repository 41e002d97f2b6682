import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The level the stack deploys every function with (infra/lambda-function.ts); the lifecycle bench measures log volume at it. */
export const deployedLogLevel = 'INFO';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'switchboard';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Switchboard' });

export { MetricUnit } from '@aws-lambda-powertools/metrics';
