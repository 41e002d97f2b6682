import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/csv-parser';
import { earlierTenantRules } from '../support/surveys';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

/**
 * CSV exports over HTTP on the local twin, read as a tenant's spreadsheet would: the raw bytes
 * (a UTF-8 byte order mark first), parsed by an RFC 4180 reader, values compared with what was
 * written through the API, Chinese, commas, quotes and line breaks included. Each test makes its
 * own tenant and the data it reads, so that none depends on another or on their order.
 */

let twin: TestTwin;

const chineseQueue = '客服,帳務 "急件"';
const notesWithEverything = '客戶說："退款，謝謝"\r\n第二行, 還有逗號\n=HYPERLINK("http://x")';

beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

interface ExportTenant {
  adminKey: string;
  /** What a BI tool holds. */
  readonlyKey: string;
}

/** A tenant (Asia/Taipei) with a reason code, and a read-only key. */
async function exportTenant(): Promise<ExportTenant> {
  const adminKey = (await createTenant(twin)).apiKey;
  const settings = await api(twin.url, 'PATCH', '/v1/settings', {
    key: adminKey,
    // The four-question template, so that a survey response has every kind of answer.
    body: { reasonCodes: [{ code: 'refund', label: { en: 'Refund', 'zh-TW': '退款' } }], surveys: await earlierTenantRules(twin, adminKey) },
  });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  const key = await api(twin.url, 'POST', '/v1/api-keys', { key: adminKey, body: { name: 'BI tool', scopes: ['readonly'] } });
  expect(key.status, JSON.stringify(key.body)).toBe(201);
  return { adminKey, readonlyKey: key.body.secret };
}

interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** Records by column name (the header row's), when the answer is CSV. */
  rows: Record<string, string>[];
}

async function download(path: string, key: string): Promise<Download> {
  const response = await fetch(`${twin.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!(response.headers.get('content-type') ?? '').startsWith('text/csv')) return { status: response.status, headers: response.headers, bytes, rows: [] };
  // TextDecoder would drop the byte order mark; it is checked on the bytes.
  const [header, ...records] = parseCsv(bytes.subarray(3).toString('utf8'));
  const rows = records.map((record) => {
    expect(record).toHaveLength(header!.length);
    return Object.fromEntries(header!.map((name, i) => [name, record[i]!]));
  });
  return { status: response.status, headers: response.headers, bytes, rows };
}

async function logContact(t: ExportTenant, body: Record<string, unknown>, close?: Record<string, unknown>) {
  const created = await api(twin.url, 'POST', '/v1/contacts', { key: t.adminKey, body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  if (close) {
    const closed = await api(twin.url, 'POST', `/v1/contacts/${created.body.contactId}/close`, { key: t.adminKey, body: close });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
  }
  return created.body.contactId as string;
}

describe('GET /v1/exports/contacts', () => {
  const from = '2026-10-01T00:00:00+08:00';
  const to = '2026-10-08T00:00:00+08:00';
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

  /** A tenant's first week of October: a closed voice call with everything, an open chat, an outbound e-mail; and an SMS after the week. */
  async function octoberWeek(): Promise<ExportTenant & { contactIds: string[] }> {
    const t = await exportTenant();
    const contactIds = [
      await logContact(
        t,
        {
          channel: 'voice',
          direction: 'inbound',
          queue: chineseQueue,
          agentId: '王小明',
          reasonCode: 'refund',
          queuedAt: '2026-10-02T09:00:00+08:00',
          answeredAt: '2026-10-02T09:00:45+08:00',
          endedAt: '2026-10-02T09:05:45+08:00',
          notes: notesWithEverything,
        },
        { outcome: 'resolved', firstContactResolution: true },
      ),
      await logContact(t, { channel: 'chat', direction: 'inbound', queue: 'sales', queuedAt: '2026-10-03T10:00:00Z' }),
      await logContact(t, { channel: 'email', direction: 'outbound', queue: 'sales', endedAt: '2026-10-04T10:00:00Z' }),
    ];
    // Outside the range: not exported.
    await logContact(t, { channel: 'sms', direction: 'inbound', queuedAt: '2026-10-09T10:00:00Z' });
    return { ...t, contactIds };
  }

  it('answers CSV with a UTF-8 BOM, as an attachment, that a CSV parser reads back exactly', async () => {
    const { readonlyKey, contactIds } = await octoberWeek();
    const answer = await download(`/v1/exports/contacts?${range}&include=notes`, readonlyKey);
    expect(answer.status).toBe(200);
    expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="contacts_2026-10-01_2026-10-08.csv"');
    expect(answer.headers.get('link')).toBeNull();
    expect(answer.rows.map((row) => row.contactId).sort()).toEqual([...contactIds].sort());

    const voice = answer.rows.find((row) => row.contactId === contactIds[0])!;
    expect(voice).toMatchObject({
      status: 'closed',
      channel: 'voice',
      direction: 'inbound',
      purpose: 'service',
      queue: chineseQueue,
      agentId: '王小明',
      reasonCode: 'refund',
      startedAt: '2026-10-02T01:00:00.000Z',
      startedAtLocal: '2026-10-02 09:00:00',
      waitSeconds: '45',
      handleSeconds: '300',
      outcome: 'resolved',
      firstContactResolution: 'true',
    });
    // The formula on the third line is behind a quote only when the cell starts with it; this one starts with 客.
    expect(voice.notes).toBe(notesWithEverything);
    const open = answer.rows.find((row) => row.contactId === contactIds[1])!;
    expect(open).toMatchObject({ status: 'open', queue: 'sales', outcome: '', handleSeconds: '' });
  });

  it('leaves notes out unless include=notes asks for them', async () => {
    const { readonlyKey } = await octoberWeek();
    const answer = await download(`/v1/exports/contacts?${range}`, readonlyKey);
    expect(answer.status).toBe(200);
    expect(answer.rows).toHaveLength(3);
    expect(Object.keys(answer.rows[0]!)).not.toContain('notes');
    expect(answer.bytes.toString('utf8')).not.toContain('退款，謝謝');
  });

  it('guards a cell a spreadsheet would run as a formula with a leading quote', async () => {
    const t = await exportTenant();
    const contactId = await logContact(t, {
      channel: 'chat',
      direction: 'inbound',
      queue: '=cmd|calc',
      queuedAt: '2026-10-05T10:00:00Z',
      notes: '=HYPERLINK("http://evil.example","click")',
    });
    const answer = await download(`/v1/exports/contacts?${range}&include=notes`, t.readonlyKey);
    const row = answer.rows.find((r) => r.contactId === contactId)!;
    expect(row.queue).toBe("'=cmd|calc");
    expect(row.notes).toBe(`'=HYPERLINK("http://evil.example","click")`);
  });

  it('links the rest with Link rel="next" when an answer holds limit rows, each row exactly once', async () => {
    const { readonlyKey, contactIds } = await octoberWeek();
    const seen: string[] = [];
    let path: string | undefined = `/v1/exports/contacts?${range}&limit=2`;
    let answers = 0;
    while (path) {
      const answer = await download(path, readonlyKey);
      expect(answer.status).toBe(200);
      expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(answer.rows.length).toBeLessThanOrEqual(2);
      seen.push(...answer.rows.map((row) => row.contactId!));
      const link = answer.headers.get('link');
      path = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : undefined;
      if (path) expect(path).toMatch(/^\/v1\/exports\/contacts\?from=.*&limit=2&cursor=/);
      answers++;
    }
    expect(answers).toBe(2);
    expect(seen.sort()).toEqual([...contactIds].sort());
  });

  it("takes dates as whole days in the tenant's time zone, to included: the same rows as the instants", async () => {
    const { readonlyKey, contactIds } = await octoberWeek();
    // The tenant is in Asia/Taipei: 2026-10-01 to 2026-10-07 is [2026-10-01T00:00+08:00, 2026-10-08T00:00+08:00).
    const byInstants = await download(`/v1/exports/contacts?${range}`, readonlyKey);
    const byDates = await download('/v1/exports/contacts?from=2026-10-01&to=2026-10-07', readonlyKey);
    expect(byDates.status).toBe(200);
    expect(byDates.rows.map((row) => row.contactId).sort()).toEqual(byInstants.rows.map((row) => row.contactId).sort());
    expect(byDates.rows.length).toBeGreaterThan(0);
    const oneDay = await download('/v1/exports/contacts?from=2026-10-02&to=2026-10-02', readonlyKey);
    expect(oneDay.rows.map((row) => row.contactId)).toEqual([contactIds[0]]);
    const reversedDates = await api(twin.url, 'GET', '/v1/exports/contacts?from=2026-10-02&to=2026-10-01', { key: readonlyKey });
    expect(reversedDates.status).toBe(400);
    expect(reversedDates.body.errors).toEqual([{ path: 'query.to', message: 'to must be after from' }]);
  });

  it('refuses a range over 31 days, a reversed range and a missing end with problem+json naming the field', async () => {
    const { readonlyKey } = await exportTenant();
    const tooLong = await api(twin.url, 'GET', '/v1/exports/contacts?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', { key: readonlyKey });
    expect(tooLong.status).toBe(400);
    expect(tooLong.headers.get('content-type')).toBe('application/problem+json');
    expect(tooLong.body.errors).toEqual([{ path: 'query.from', message: expect.stringContaining('31 days') }]);

    const reversed = await api(twin.url, 'GET', `/v1/exports/contacts?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`, { key: readonlyKey });
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors).toEqual([{ path: 'query.to', message: 'to must be after from' }]);

    const missing = await api(twin.url, 'GET', `/v1/exports/contacts?from=${encodeURIComponent(from)}`, { key: readonlyKey });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((error: { path: string }) => error.path)).toEqual(['query.to']);
  });

  it("gives another tenant none of these rows, and refuses it this tenant's cursor", async () => {
    const { readonlyKey } = await octoberWeek();
    const other = await createTenant(twin, { name: 'Other tenant' });
    const theirs = await download(`/v1/exports/contacts?${range}&include=notes`, other.apiKey);
    expect(theirs.status).toBe(200);
    expect(theirs.rows).toEqual([]);
    const ours = await download(`/v1/exports/contacts?${range}&limit=1`, readonlyKey);
    const next = /^<([^>]+)>/.exec(ours.headers.get('link')!)![1]!;
    const refused = await api(twin.url, 'GET', next, { key: other.apiKey });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses an edited cursor with 400', async () => {
    const { readonlyKey } = await octoberWeek();
    const forged = Buffer.from(JSON.stringify({ gsi1pk: 'T#ten_someone-else#CONTACTS#2026-10-02' })).toString('base64url');
    const answer = await api(twin.url, 'GET', `/v1/exports/contacts?${range}&cursor=${forged}`, { key: readonlyKey });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('GET /v1/exports/survey-responses', () => {
  it('exports a completed survey with its scores and every answer, Chinese free text intact', async () => {
    const t = await exportTenant();
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: t.adminKey, body: { displayName: '林美玲', language: 'zh-TW' } });
    expect(customer.status).toBe(201);
    const contactId = await logContact(
      t,
      { channel: 'chat', direction: 'inbound', customerId: customer.body.customerId, agentId: 'agent-7', queue: chineseQueue },
      { outcome: 'resolved' },
    );
    const survey = await api(twin.url, 'POST', '/v1/surveys', { key: t.adminKey, body: { contactId, deliveryChannel: 'link' } });
    expect(survey.status, JSON.stringify(survey.body)).toBe(201);
    const improve = '等太久了, 說 "馬上" 卻\n過了一小時';
    const answered = await api(twin.url, 'POST', survey.body.linkPath, {
      body: new URLSearchParams({ csat: '2', improve, resolved: 'no', nps: '4' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answered.status).toBe(200);

    const now = Date.now();
    const from = new Date(now - 3600_000).toISOString();
    const to = new Date(now + 3600_000).toISOString();
    const answer = await download(`/v1/exports/survey-responses?from=${from}&to=${to}`, t.readonlyKey);
    expect(answer.status).toBe(200);
    expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="survey-responses_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(answer.rows).toHaveLength(1);
    const row = answer.rows[0]!;
    expect(row).toMatchObject({
      surveyId: survey.body.surveyId,
      contactId,
      customerId: customer.body.customerId,
      agentId: 'agent-7',
      queue: chineseQueue,
      channel: 'chat',
      origin: 'ad-hoc',
      deliveryChannel: 'link',
      status: 'completed',
      csat: '2',
      nps: '4',
      ces: '',
      resolved: 'false',
    });
    expect(row.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(JSON.parse(row.answers!)).toEqual({ csat: 2, improve: improve.trim(), resolved: false, nps: 4 });
  });
});

describe('the export routes', () => {
  it("need a key: none answers 401", async () => {
    const answer = await api(twin.url, 'GET', '/v1/exports/contacts?from=2026-10-01T00:00:00Z&to=2026-10-02T00:00:00Z');
    expect(answer.status).toBe(401);
  });
});
