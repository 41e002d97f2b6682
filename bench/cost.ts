import type { PhaseUsage } from './lifecycle';

/**
 * AWS list prices, US East (N. Virginia), arm64, as published on the services' pricing pages
 * when this was written. Free tiers are ignored (a business runs past them), so the figures
 * are an upper bound for a small tenant.
 */
export const listPrices = {
  asOf: '2026-11-22 (us-east-1 list prices; re-check the pricing pages before quoting)',
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1e6,
  httpApiPerRequest: 1.0 / 1e6,
  dynamoPerWriteUnit: 0.625 / 1e6,
  dynamoPerReadUnit: 0.125 / 1e6,
  dynamoStoragePerGbMonth: 0.25,
  eventBridgePerEvent: 1.0 / 1e6,
  schedulerPerInvocation: 1.0 / 1e6,
  snsPerPublish: 0.5 / 1e6,
  logsPerGbIngested: 0.5,
  xrayPerTraceRecorded: 5.0 / 1e6,
  /** API Gateway WebSocket APIs (the live channel): messages in 32 KB units, and connection minutes. */
  webSocketPerMessage: 1.0 / 1e6,
  webSocketPerConnectionMinute: 0.25 / 1e6,
  /** An example, not ours to set: US 10DLC, AWS's per-segment fee plus a typical carrier pass-through fee. */
  smsPerSegmentExample: 0.00581 + 0.003,
};

/** What the model assumes beyond what the lifecycle measured; each is stated in the report. */
export const assumptions = {
  lambdaMemoryGb: 256 / 1024,
  /** Handler time in the twin against DynamoDB Local overstates Lambda's against DynamoDB; used as measured. */
  billedDurationFactor: 1,
  /** Lambda's own START, END and REPORT lines (with the X-Ray trace id) per invocation; the functions' lines are measured. */
  platformLogBytesPerInvocation: 400,
  /** X-Ray's default sampling: the first request each second and 5 % of the rest. */
  tracedShare: 0.05,
  storedBytesPerContact: 8_000,
  /** Per contact besides its own life: a customer lookup, and dashboards read by 10 agents and a manager. */
  extraApiRequestsPerContact: 1,
  dashboardReadsPerMonth: 11 * 22 * 20,
  dashboardReadUnits: 40,
  contactsPerMonth: 10_000,
  /** The survey reply path: End User Messaging publishes each inbound SMS to SNS. */
  inboundSmsPerContact: 3,
};

export interface CostModel {
  perThousandContacts: Record<string, number>;
  perTenantMonth: Record<string, number>;
  smsPerThousandContacts: number;
  smsSegmentsPerContact: number;
}

const total = (phases: PhaseUsage[], pick: (phase: PhaseUsage) => number) => phases.reduce((sum, phase) => sum + pick(phase), 0);
const sum = (record: Record<string, number>) => Object.values(record).reduce((acc, value) => acc + value, 0);

/** Prices one measured contact lifecycle, then a 10-agent firm's month. */
export function costModel(phases: PhaseUsage[]): CostModel {
  const p = listPrices;
  const a = assumptions;
  const invocations = total(phases, (phase) => sum(phase.invocations));
  const handlerSeconds = total(phases, (phase) => sum(phase.durationMs)) / 1000;
  const apiRequests = total(phases, (phase) => phase.apiRequests) + a.extraApiRequestsPerContact;
  const perContact: Record<string, number> = {
    'Lambda requests': invocations * p.lambdaPerRequest,
    'Lambda compute': handlerSeconds * a.billedDurationFactor * a.lambdaMemoryGb * p.lambdaPerGbSecond,
    'API Gateway (HTTP API)': apiRequests * p.httpApiPerRequest,
    'DynamoDB writes': total(phases, (phase) => sum(phase.writeUnits)) * p.dynamoPerWriteUnit,
    'DynamoDB reads': (total(phases, (phase) => sum(phase.readUnits)) + a.extraApiRequestsPerContact) * p.dynamoPerReadUnit,
    'DynamoDB storage (first month)': (a.storedBytesPerContact / 1024 ** 3) * p.dynamoStoragePerGbMonth,
    EventBridge: total(phases, (phase) => phase.busEvents) * p.eventBridgePerEvent,
    'EventBridge Scheduler': total(phases, (phase) => phase.schedulerCalls) * p.schedulerPerInvocation,
    'SNS (inbound SMS)': a.inboundSmsPerContact * p.snsPerPublish,
    'CloudWatch Logs': ((total(phases, (phase) => sum(phase.logBytes)) + invocations * a.platformLogBytesPerInvocation) / 1024 ** 3) * p.logsPerGbIngested,
    'X-Ray': (apiRequests + 1) * a.tracedShare * p.xrayPerTraceRecorded,
  };
  const perThousandContacts = Object.fromEntries(Object.entries(perContact).map(([name, dollars]) => [name, dollars * 1000]));
  const dashboards = a.dashboardReadsPerMonth * (p.httpApiPerRequest + p.lambdaPerRequest + a.dashboardReadUnits * p.dynamoPerReadUnit);
  const perTenantMonth = {
    ...Object.fromEntries(Object.entries(perContact).map(([name, dollars]) => [name, dollars * a.contactsPerMonth])),
    'Dashboards (reads by 11 people, 20 a day each)': dashboards,
  };
  const segments = total(phases, (phase) => phase.smsSegments);
  return { perThousandContacts, perTenantMonth, smsPerThousandContacts: segments * p.smsPerSegmentExample * 1000, smsSegmentsPerContact: segments };
}

const dollars = (value: number) => (value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`);

export function formatCostModel(model: CostModel): string {
  const thousand = Object.entries(model.perThousandContacts);
  const month = Object.entries(model.perTenantMonth);
  const thousandTotal = thousand.reduce((acc, [, value]) => acc + value, 0);
  const monthTotal = month.reduce((acc, [, value]) => acc + value, 0);
  return [
    `Prices: ${listPrices.asOf}.`,
    '',
    '| item | per 1,000 contacts | per tenant-month (10 agents, 10,000 contacts) |',
    '| --- | --- | --- |',
    ...thousand.map(([name, value]) => `| ${name} | ${dollars(value)} | ${dollars(model.perTenantMonth[name] ?? 0)} |`),
    ...month.filter(([name]) => !(name in model.perThousandContacts)).map(([name, value]) => `| ${name} | – | ${dollars(value)} |`),
    `| **AWS infrastructure** | **${dollars(thousandTotal)}** | **${dollars(monthTotal)}** |`,
    `| SMS carrier and AWS messaging fees, apart (${model.smsSegmentsPerContact} segments per surveyed contact at the US example price) | ${dollars(model.smsPerThousandContacts)} | ${dollars((model.smsPerThousandContacts * assumptions.contactsPerMonth) / 1000)} |`,
  ].join('\n');
}
