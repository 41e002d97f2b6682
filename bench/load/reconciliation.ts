import type { Check } from './report';
import { type LoadContact, type LoadRun, type LoadTenant, sleep, webLink } from './actors';

/** After the mix: what the twin stored, counted and sent, read back and checked against what the run was told. */

export async function inBatches<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Every write the API acknowledged, read back: the customers made, each contact open or closed with its outcome. */
export async function checkWritesStored(run: LoadRun): Promise<Check> {
  const failures: string[] = [];
  let customers = 0;
  let contacts = 0;
  const reads: (() => Promise<void>)[] = [];
  for (const tenant of run.tenants) {
    for (const customer of tenant.customers) {
      customers++;
      reads.push(async () => {
        const read = await run.client.call('GET', `/v1/customers/${customer.customerId}`, { key: tenant.key, expect: [200], harness: true });
        if (read.status !== 200 || read.body.phone !== customer.phone) failures.push(`customer ${customer.customerId}: ${read.status} ${read.body?.phone ?? ''}`);
      });
    }
    for (const contact of tenant.contacts) {
      contacts++;
      reads.push(async () => {
        const read = await run.client.call('GET', `/v1/contacts/${contact.contactId}`, { key: tenant.key, expect: [200], harness: true });
        const expected = contact.closedOutcome ? `closed ${contact.closedOutcome}` : 'open';
        const stored = read.status === 200 ? (read.body.status === 'closed' ? `closed ${read.body.outcome}` : read.body.status) : `answered ${read.status}`;
        if (stored !== expected) failures.push(`contact ${contact.contactId}: expected ${expected}, stored ${stored}`);
      });
    }
  }
  await inBatches(reads, 8, (read) => read());
  return {
    name: 'every acknowledged write is stored',
    passed: failures.length === 0,
    summary: `${customers} customers (201) and ${contacts} contacts (201, ${run.activity['contacts closed']} closed with 200) read back`,
    failures,
  };
}

export interface SurveyListItem {
  surveyId: string;
  contactId: string;
  status: string;
  notSentReason?: string;
}

/** All the tenant's surveys, page by page; undefined when a page is refused. */
export async function listSurveys(run: LoadRun, tenant: LoadTenant): Promise<SurveyListItem[] | undefined> {
  const items: SurveyListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await run.client.call('GET', `/v1/surveys?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      key: tenant.key,
      expect: [200],
      harness: true,
    });
    if (page.status !== 200) return undefined;
    items.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** What the survey rules decide for a closed contact the run made not eligible: the reason it names. */
export function expectedNotSentReason(contact: LoadContact): string {
  if (contact.purpose === 'sales') return 'purpose';
  if (!contact.customer) return 'no-contact-point';
  return 'no-consent';
}

/**
 * One survey decision per closed contact and none for an open one: an eligible contact's survey
 * sent with exactly one first SMS (and completed when the run answered it in full), any other's
 * not sent for the reason the rules give.
 */
export async function checkSurveys(run: LoadRun): Promise<{ check: Check; sentByTenant: Map<string, number>; completedByTenant: Map<string, number> }> {
  const failures: string[] = [];
  const sentByTenant = new Map<string, number>();
  const completedByTenant = new Map<string, number>();
  const firstSms = new Map<string, number>();
  for (const sms of run.smsSeen.values()) {
    if (sms.context.purpose === 'survey' && sms.context.surveyId && webLink.test(sms.body)) {
      firstSms.set(sms.context.surveyId, (firstSms.get(sms.context.surveyId) ?? 0) + 1);
    }
  }
  let closedCount = 0;
  let surveysSent = 0;
  let notSent = 0;
  let eligible = 0;
  for (const tenant of run.tenants) {
    const items = await listSurveys(run, tenant);
    if (!items) {
      failures.push(`tenant ${tenant.tenantId}: GET /v1/surveys did not answer 200`);
      continue;
    }
    const byContact = new Map<string, SurveyListItem[]>();
    for (const item of items) byContact.set(item.contactId, [...(byContact.get(item.contactId) ?? []), item]);
    const contacts = new Map(tenant.contacts.map((contact) => [contact.contactId, contact]));
    for (const [contactId, ofContact] of byContact) {
      if (!contacts.get(contactId)?.closedOutcome) failures.push(`contact ${contactId} was not closed by the run but has ${ofContact.length} survey(s)`);
      else if (ofContact.length !== 1) failures.push(`contact ${contactId} has ${ofContact.length} surveys`);
    }
    let sent = 0;
    let completed = 0;
    for (const contact of tenant.contacts.filter((candidate) => candidate.closedOutcome)) {
      closedCount++;
      const survey = byContact.get(contact.contactId)?.[0];
      if (!survey) {
        failures.push(`closed contact ${contact.contactId} has no survey decision`);
        continue;
      }
      if (!tenant.eligible.has(contact.contactId)) {
        const reason = expectedNotSentReason(contact);
        if (survey.status !== 'not_sent' || survey.notSentReason !== reason) {
          failures.push(`survey ${survey.surveyId} of contact ${contact.contactId}: ${survey.status} ${survey.notSentReason ?? ''}, expected not_sent ${reason}`);
        } else notSent++;
        continue;
      }
      eligible++;
      if (['pending', 'not_sent'].includes(survey.status)) {
        failures.push(`survey ${survey.surveyId} is ${survey.status}${survey.notSentReason ? ` (${survey.notSentReason})` : ''}`);
        continue;
      }
      sent++;
      if (survey.status === 'completed') completed++;
      const copies = firstSms.get(survey.surveyId) ?? 0;
      if (copies !== 1) failures.push(`survey ${survey.surveyId}: ${copies} first-question SMS in the outbox`);
      if (run.completedContacts.has(contact.contactId) && survey.status !== 'completed') failures.push(`survey ${survey.surveyId} was answered in full but is ${survey.status}`);
    }
    surveysSent += sent;
    sentByTenant.set(tenant.tenantId, sent);
    completedByTenant.set(tenant.tenantId, completed);
  }
  const gaps = run.outboxGaps > 0 ? `; the outbox watch may have missed SMS ${run.outboxGaps} time(s)` : '';
  return {
    check: {
      name: 'every eligible contact got exactly one survey',
      passed: failures.length === 0,
      summary:
        `${closedCount} closed contacts: ${eligible} eligible, ${surveysSent} surveys sent, each with one first SMS (${firstSms.size} seen); ` +
        `${notSent} not sent for the expected reason; ${run.completedContacts.size} answered in full by the run and completed${gaps}`,
      failures,
    },
    sentByTenant,
    completedByTenant,
  };
}

/** Each tenant's summary over the run's period counts each closed contact once, and the surveys sent and completed. */
export async function checkAnalytics(run: LoadRun, sentByTenant: Map<string, number>, completedByTenant: Map<string, number>): Promise<Check> {
  const name = 'every closed contact is counted once in analytics';
  const failures: string[] = [];
  const from = new Date(run.runStartedAt.getTime() - 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  let offered = 0;
  for (const tenant of run.tenants) {
    const summary = await run.client.call('GET', `/v1/analytics/summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
      key: tenant.key,
      expect: [200],
      harness: true,
    });
    if (summary.status === 404) return { name, passed: false, summary: 'GET /v1/analytics/summary is not served: analytics could not be checked', failures: [] };
    if (summary.status !== 200) {
      failures.push(`tenant ${tenant.tenantId}: summary answered ${summary.status}`);
      continue;
    }
    const closed = tenant.contacts.filter((contact) => contact.closedOutcome);
    const expected = {
      offered: closed.length,
      abandoned: closed.filter((contact) => contact.closedOutcome === 'abandoned').length,
      transferred: closed.filter((contact) => contact.closedOutcome === 'transferred').length,
      'surveys sent': sentByTenant.get(tenant.tenantId) ?? 0,
      'surveys completed': completedByTenant.get(tenant.tenantId) ?? 0,
    };
    const { contacts, surveys } = summary.body.metrics;
    const counted = {
      offered: contacts.offered,
      abandoned: contacts.abandoned,
      // The summary gives the transfer rate over handled contacts; the count is rate × handled.
      transferred: contacts.transferRate === null ? 0 : Math.round((contacts.transferRate * contacts.handled) / 100),
      'surveys sent': surveys?.sent,
      'surveys completed': surveys?.completed,
    };
    offered += counted.offered ?? 0;
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      if (counted[key] !== expected[key]) failures.push(`tenant ${tenant.tenantId}: ${key} ${counted[key]}, expected ${expected[key]}`);
    }
  }
  return {
    name,
    passed: failures.length === 0,
    summary: `offered ${offered} against ${run.activity['contacts closed']} closes acknowledged; abandoned, transfers, surveys sent and completed per tenant`,
    failures,
  };
}

export async function checkDeadLetters(run: LoadRun): Promise<Check> {
  const letters = await run.client.call('GET', '/local/events/dead-letters', { expect: [200], harness: true });
  const items = (letters.body?.items ?? []) as { consumer?: string; event?: { 'detail-type'?: string }; error?: string }[];
  const stream = (letters.body?.stream ?? []) as unknown[];
  return {
    name: 'no dead letters',
    passed: letters.status === 200 && items.length === 0 && stream.length === 0,
    summary: `${items.length} dead-lettered deliveries, ${stream.length} stream relay failures`,
    failures: items.map((letter) => `${letter.consumer ?? '?'} ← ${letter.event?.['detail-type'] ?? '?'}: ${String(letter.error ?? '').slice(0, 160)}`),
  };
}

/** Runs the asynchronous checks until they pass or the settle time is up; the last results stand. */
export async function reconcile(run: LoadRun, deadline: number): Promise<Check[]> {
  const writes = await checkWritesStored(run);
  for (;;) {
    const surveys = await checkSurveys(run);
    const analytics = await checkAnalytics(run, surveys.sentByTenant, surveys.completedByTenant);
    const deadLetters = await checkDeadLetters(run);
    const checks = [writes, analytics, surveys.check, deadLetters];
    if (checks.every((check) => check.passed) || Date.now() > deadline) return checks;
    await sleep(2_000);
  }
}
