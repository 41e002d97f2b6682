import { MetricUnit, metrics } from '../observability';
import type { NotSentReason } from '../schemas/survey';

/** One survey not sent, counted by reason (CloudWatch metric SurveysNotSent, dimension reason). */
export function countSurveyNotSent(reason: NotSentReason): void {
  const metric = metrics.singleMetric();
  metric.addDimension('reason', reason);
  metric.addMetric('SurveysNotSent', MetricUnit.Count, 1);
}
