import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The level the stack deploys every function with unless `-c logLevel=INFO` says otherwise
 * (infra/config.ts); the lifecycle bench measures log volume at it. WARN: INFO lines (a request
 * handled, an event applied) cost CloudWatch ingestion on every invocation; metrics go out at any level.
 */
export const deployedLogLevel = 'WARN';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'switchboard';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Switchboard' });

/**
 * The Lambda context in every log line, for every function's middy stack. `logEvent: false`
 * overrides POWERTOOLS_LOGGER_LOG_EVENT: an event holds API keys, phone numbers and bodies, so
 * no setting may log it whole.
 */
export const withLambdaContext = () => injectLambdaContext(logger, { resetKeys: true, logEvent: false });

export { MetricUnit } from '@aws-lambda-powertools/metrics';
