import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';
import { surveyTenant } from '../support/surveys';
import { eventually, uniqueDigits } from '../support/waiting';

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

const hour = 60 * 60 * 1000;
const dayMs = 24 * hour;
const utcDate = (instant: number) => new Date(instant).toISOString().slice(0, 10);
const paths = (body: { errors: { path: string }[] }) => body.errors.map((error) => error.path).sort();

describe('the business calendar in the settings', () => {
  it('is set by a settings patch, read back in date order, and replaced whole', async () => {
    const { apiKey } = await createTenant(twin);
    expect((await api(twin.url, 'GET', '/v1/settings', { key: apiKey })).body.specialDays).toEqual([]);
    const patched = await api(twin.url, 'PATCH', '/v1/settings', {
      key: apiKey,
      body: {
        specialDays: [
          { date: '2027-02-08', name: '春節', hours: [] },
          { date: '2026-12-24', name: 'Christmas Eve', hours: [{ open: '09:00', close: '13:00' }] },
          { date: '2026-12-31', name: "New Year's Eve", hours: [{ open: '18:00', close: '24:00' }] },
        ],
        businessHours: { sat: [{ open: '20:00', close: '24:00' }] },
      },
    });
    expect(patched.status).toBe(200);
    const read = await api(twin.url, 'GET', '/v1/settings', { key: apiKey });
    expect(read.body.version).toBe(2);
    expect(read.body.businessHours.sat).toEqual([{ open: '20:00', close: '24:00' }]);
    expect(read.body.specialDays.map((day: { date: string; name: string }) => `${day.date} ${day.name}`)).toEqual([
      '2026-12-24 Christmas Eve',
      "2026-12-31 New Year's Eve",
      '2027-02-08 春節',
    ]);
    const replaced = await api(twin.url, 'PATCH', '/v1/settings', { key: apiKey, body: { specialDays: [{ date: '2027-01-01', name: '元旦', hours: [] }] } });
    expect(replaced.body.specialDays).toEqual([{ date: '2027-01-01', name: '元旦', hours: [] }]);
    const log = await api(twin.url, 'GET', '/v1/audit-log?action=settings.changed', { key: apiKey });
    expect(log.body.items[0].summary.changedFields).toContain('specialDays');
  });

  it('refuses overlapping intervals, naming each, repeated and impossible dates, and changes nothing', async () => {
    const { apiKey } = await createTenant(twin);
    const refused = await api(twin.url, 'PATCH', '/v1/settings', {
      key: apiKey,
      body: {
        locale: 'en',
        businessHours: {
          mon: [
            { open: '09:00', close: '12:30' },
            { open: '12:00', close: '18:00' },
          ],
        },
        specialDays: [
          { date: '2026-02-29', name: 'Leap day that is not', hours: [] },
          { date: '2026-12-24', name: 'Christmas Eve', hours: [{ open: '09:00', close: '13:00' }] },
          { date: '2026-12-24', name: 'Christmas Eve', hours: [] },
        ],
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.type).toBe('/problems/validation-error');
    expect(paths(refused.body)).toEqual(['$.businessHours.mon[0]', '$.businessHours.mon[1]', '$.specialDays[0].date', '$.specialDays[2].date']);
    const unchanged = await api(twin.url, 'GET', '/v1/settings', { key: apiKey });
    expect(unchanged.body).toMatchObject({ version: 1, locale: 'zh-TW', specialDays: [], businessHours: { mon: [{ open: '09:00', close: '18:00' }] } });
  });
});

describe('business-time SLAs across a holiday', () => {
  it('skip the closed day: the deadline is a day later than without it', async () => {
    const { apiKey } = await createTenant(twin, { timezone: 'UTC' });
    const allDay = [{ open: '00:00', close: '24:00' }];
    const holiday = utcDate(Date.now() + dayMs);
    const patched = await api(twin.url, 'PATCH', '/v1/settings', {
      key: apiKey,
      body: {
        businessHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
        specialDays: [{ date: holiday, name: 'Closed tomorrow', hours: [] }],
        slaPolicy: { targets: { complaint: { medium: { firstResponse: { amount: 1, unit: 'businessDays' }, resolution: { amount: 48, unit: 'businessHours' } } } } },
      },
    });
    expect(patched.status).toBe(200);
    const customerId = (await api(twin.url, 'POST', '/v1/customers', { key: apiKey, body: { displayName: 'Calendar customer' } })).body.customerId;
    const opened = await api(twin.url, 'POST', '/v1/cases', {
      key: apiKey,
      body: { type: 'complaint', severity: 'medium', category: 'billing', subject: 'Charged twice', customerId },
    });
    expect(opened.status).toBe(201);
    const { openedAt, sla } = opened.body;
    // Opened today (UTC); were the test to straddle midnight, the holiday would not be tomorrow.
    expect(utcDate(Date.parse(openedAt) + dayMs)).toBe(holiday);
    // 48 business hours: the rest of today, tomorrow closed, then on: 72 h of clock time, not 48.
    expect(Date.parse(sla.resolution.dueAt) - Date.parse(openedAt)).toBe(72 * hour);
    // One business day: tomorrow does not count, so the day after it, to its 24:00.
    expect(sla.firstResponse.dueAt).toBe(new Date(Date.parse(`${holiday}T00:00:00Z`) + 2 * dayMs).toISOString());
  });
});

describe('staffing on the calendar', () => {
  const forecast = [
    { start: '08:00', contacts: 100, averageHandleSeconds: 180 },
    { start: '10:00', contacts: 60, averageHandleSeconds: 180 },
  ];

  it('needs no agents on a closed day, and opens only the special hours of a short day', async () => {
    const { apiKey } = await createTenant(twin, { timezone: 'America/New_York', defaultCountry: 'US', locale: 'en' });
    await api(twin.url, 'PATCH', '/v1/settings', {
      key: apiKey,
      body: {
        specialDays: [
          { date: '2026-12-25', name: 'Christmas Day', hours: [] },
          { date: '2026-12-24', name: 'Christmas Eve', hours: [{ open: '09:00', close: '12:00' }] },
        ],
      },
    });
    const plan = (date: string) => api(twin.url, 'POST', '/v1/analytics/staffing', { key: apiKey, body: { date, interval: 60, forecast } });

    const christmas = await plan('2026-12-25');
    expect(christmas.status).toBe(200);
    expect(christmas.body.intervals.filter((interval: { open: boolean }) => interval.open)).toEqual([]);
    expect(christmas.body.totals).toMatchObject({ forecastContacts: 0, agentHours: 0 });
    expect(christmas.body.notes.join(' ')).toMatch(/Christmas Day in the business calendar, closed all day/);
    expect(christmas.body.notes.join(' ')).toMatch(/contacts at 08:00, 10:00 fall in closed intervals/);

    const eve = await plan('2026-12-24');
    const open = eve.body.intervals.filter((interval: { open: boolean }) => interval.open);
    expect(open.map((interval: { start: string }) => interval.start)).toEqual(['09:00', '10:00', '11:00']);
    const at = (start: string) => eve.body.intervals.find((interval: { start: string }) => interval.start === start);
    expect(at('10:00').agentsRequired).toBeGreaterThan(0);
    expect(at('08:00')).toMatchObject({ open: false, agentsRequired: 0 });

    // An ordinary day is open all day, as before the calendar.
    const ordinary = await plan('2026-12-23');
    expect(ordinary.body.intervals.every((interval: { open: boolean }) => interval.open)).toBe(true);
    expect(ordinary.body.intervals.find((interval: { start: string }) => interval.start === '08:00').agentsRequired).toBeGreaterThan(0);
  });
});

describe('survey quiet hours on a holiday', () => {
  it('hold a survey due on a closed day until the quiet hours end on the next day that is not closed', async () => {
    const taipeiDate = (instant: number) => new Date(instant + 8 * hour).toISOString().slice(0, 10);
    const today = taipeiDate(Date.now());
    const tomorrow = taipeiDate(Date.now() + dayMs);
    const t = await surveyTenant(twin, { delayMinutes: 5, quietHours: { start: '21:00', end: '08:00' } }, { as: 'new' });
    const patched = await api(twin.url, 'PATCH', '/v1/settings', {
      key: t.key,
      body: { specialDays: [{ date: today, name: '春節', hours: [] }, { date: tomorrow, name: '春節', hours: [] }] },
    });
    expect(patched.status).toBe(200);
    const customerId = (
      await api(twin.url, 'POST', '/v1/customers', {
        key: t.key,
        body: { displayName: 'Ms Lin', phone: `+8869${uniqueDigits()}`, language: 'en', consent: { sms: { status: 'granted', source: 'web-form' } } },
      })
    ).body.customerId;
    const contactId = (
      await api(twin.url, 'POST', '/v1/contacts', { key: t.key, body: { channel: 'voice', direction: 'inbound', purpose: 'service', customerId } })
    ).body.contactId;
    const closed = await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key: t.key, body: { outcome: 'resolved' } });
    expect(closed.status).toBe(200);
    const survey = await eventually(async () => {
      const page = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: t.key });
      return (page.body.items as { contactId: string; status: string; scheduledAt: string }[]).find((item) => item.contactId === contactId);
    }, 'the survey decision');
    // Closed (and due) today in Taipei; were the test to straddle Taipei's midnight, it would not be.
    expect(taipeiDate(Date.parse(closed.body.closedAt) + 5 * 60_000)).toBe(today);
    expect(survey.status).toBe('pending');
    // Today and tomorrow closed: 08:00 Taipei (00:00Z) the day after tomorrow.
    expect(survey.scheduledAt).toBe(new Date(Date.parse(`${tomorrow}T00:00:00Z`) + dayMs).toISOString());
  });
});
