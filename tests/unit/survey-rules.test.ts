import { describe, expect, it } from 'vitest';
import { Channel, Purpose } from '../../shared/schemas/contact';
import { SettingsPatch } from '../../shared/schemas/settings';
import { type SurveyRules, surveyTriggerChannels, surveyTriggerPurposes } from '../../shared/schemas/survey-template';
import {
  type SurveyContext,
  afterQuietHours,
  decideSurvey,
  defaultSurveyRules,
  localDay,
  mergeSurveyRules,
  resolveSurveyRules,
  samplingDraw,
  surveyRulesIssues,
  surveySendTime,
} from '../../shared/domain/surveys/rules';

const on = (overrides: Partial<SurveyRules> = {}): SurveyRules => ({ ...defaultSurveyRules('svt_DEFAULT'), enabled: true, ...overrides });

/** A Taipei contact closed at 14:00 local, a customer with a phone and SMS consent, never surveyed. */
const context = (overrides: Partial<SurveyContext> = {}, contact: Partial<SurveyContext['contact']> = {}): SurveyContext => ({
  contact: { contactId: 'con_1', channel: 'voice', purpose: 'service', queue: 'billing', customerId: 'cus_1', closedAt: '2026-05-04T06:00:00.000Z', ...contact },
  timezone: 'Asia/Taipei',
  customer: { hasPhone: true, smsConsent: 'granted' },
  samplingDraw: 50,
  surveysOnSendDay: 0,
  ...overrides,
});

describe('survey rules', () => {
  it('start off, on the default template, with the defaults the docs promise', () => {
    expect(defaultSurveyRules('svt_A')).toEqual({
      enabled: false,
      templateId: 'svt_A',
      channels: ['voice', 'chat', 'email', 'sms', 'web', 'walk_in'],
      queues: [],
      purposes: ['service', 'care'],
      delayMinutes: 10,
      samplingPercent: 100,
      quietHours: { start: '21:00', end: '08:00' },
      suppressionDays: 30,
      dailyCap: 1000,
      linkExpiryHours: 72,
      deliveryChannel: 'sms',
      requireExplicitConsent: true,
      lowScoreThresholds: { csat: 2, nps: 6 },
      smsWebLink: false,
      smsThankYou: false,
      maxSegmentsPerMessage: 1,
    });
  });

  it('name the same channels and purposes a contact has', () => {
    expect([...surveyTriggerChannels]).toEqual(Channel.options);
    expect([...surveyTriggerPurposes]).toEqual(Purpose.options);
  });

  it('fill defaults under what an older tenant stored, and merge a patch (lists replaced, thresholds merged)', () => {
    // Rules stored before the SMS settings keep the web link and the thanks they had.
    expect(resolveSurveyRules({})).toEqual({ ...defaultSurveyRules(null), smsWebLink: true, smsThankYou: true });
    expect(resolveSurveyRules(defaultSurveyRules('svt_A'))).toEqual(defaultSurveyRules('svt_A'));
    const merged = mergeSurveyRules(on(), { queues: ['vip'], lowScoreThresholds: { nps: null }, quietHours: null });
    expect(merged).toMatchObject({ enabled: true, queues: ['vip'], lowScoreThresholds: { csat: 2, nps: null }, quietHours: null, delayMinutes: 10 });
  });

  it.each([
    [{ surveys: { quietHours: { start: '9pm', end: '08:00' } } }, '$.surveys.quietHours.start'],
    [{ surveys: { quietHours: { start: '21:00', end: '21:00' } } }, '$.surveys.quietHours.end'],
    [{ surveys: { quietHours: { start: '24:00', end: '08:00' } } }, '$.surveys.quietHours.start'],
    [{ surveys: { quietHours: { start: '00:00', end: '24:00' } } }, '$.surveys.quietHours.end'],
    [{ surveys: { quietHours: { start: '21:00', end: '24:30' } } }, '$.surveys.quietHours.end'],
    [{ surveys: { samplingPercent: 101 } }, '$.surveys.samplingPercent'],
    [{ surveys: { samplingPercent: -1 } }, '$.surveys.samplingPercent'],
    [{ surveys: { samplingPercent: 12.345 } }, '$.surveys.samplingPercent'],
    [{ surveys: { delayMinutes: -5 } }, '$.surveys.delayMinutes'],
    [{ surveys: { delayMinutes: 1.5 } }, '$.surveys.delayMinutes'],
    [{ surveys: { channels: ['fax'] } }, '$.surveys.channels[0]'],
    [{ surveys: { channels: ['sms', 'sms'] } }, '$.surveys.channels'],
    [{ surveys: { purposes: ['gossip'] } }, '$.surveys.purposes[0]'],
    [{ surveys: { dailyCap: 0 } }, '$.surveys.dailyCap'],
    [{ surveys: { deliveryChannel: 'email' } }, '$.surveys.deliveryChannel'],
    [{ surveys: { lowScoreThresholds: { csat: 6 } } }, '$.surveys.lowScoreThresholds.csat'],
    [{ surveys: { lowScoreThresholds: { nps: 11 } } }, '$.surveys.lowScoreThresholds.nps'],
    [{ surveys: { linkExpiryHours: 0 } }, '$.surveys.linkExpiryHours'],
    [{ surveys: { surprise: true } }, '$.surveys'],
  ])('refuse %j at %s', (patch, path) => {
    const parsed = SettingsPatch.safeParse(patch);
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path.reduce<string>((at, part) => (typeof part === 'number' ? `${at}[${part}]` : `${at}.${String(part)}`), '$')).toBe(path);
  });

  it('accept the edges: no delay, 0 and 100 percent, no quiet hours, quiet until midnight (24:00), no cap', () => {
    for (const surveys of [{ quietHours: { start: '21:00', end: '24:00' } }, { quietHours: { start: '00:00', end: '08:00' } }, { delayMinutes: 0 }, { samplingPercent: 0 }, { samplingPercent: 100 }, { samplingPercent: 0.25 }, { quietHours: null }, { dailyCap: null }]) {
      expect(SettingsPatch.safeParse({ surveys }).success, JSON.stringify(surveys)).toBe(true);
    }
  });

  it('must name an existing, active template, and one at all when enabled', () => {
    expect(surveyRulesIssues(on(), { status: 'active' })).toEqual([]);
    expect(surveyRulesIssues(on(), undefined)).toEqual([{ path: '$.surveys.templateId', message: 'No such survey template' }]);
    expect(surveyRulesIssues(on(), { status: 'archived' })).toEqual([{ path: '$.surveys.templateId', message: 'The survey template is archived' }]);
    expect(surveyRulesIssues(on({ templateId: null }), undefined)).toHaveLength(1);
    expect(surveyRulesIssues(on({ templateId: null, enabled: false }), undefined)).toEqual([]);
  });
});

describe('decideSurvey', () => {
  it('sends 10 minutes after close when every rule allows', () => {
    expect(decideSurvey(on(), context())).toEqual({ send: true, at: '2026-05-04T06:10:00.000Z', day: '2026-05-04' });
  });

  it.each([
    ['disabled', on({ enabled: false }), context()],
    ['disabled', on({ templateId: null }), context()],
    ['channel', on({ channels: ['chat', 'email'] }), context()],
    ['channel', on({ channels: [] }), context()],
    ['queue', on({ queues: ['sales', 'vip'] }), context()],
    ['queue', on({ queues: ['billing'] }), context({}, { queue: undefined })],
    ['purpose', on(), context({}, { purpose: 'collection' })],
    ['purpose', on({ purposes: ['care'] }), context()],
    ['no-contact-point', on(), context({ customer: undefined })],
    ['no-contact-point', on(), context({ customer: { hasPhone: false, smsConsent: 'granted' } })],
    ['no-contact-point', on({ deliveryChannel: 'link' }), context({ customer: undefined })],
    ['no-consent', on(), context({ customer: { hasPhone: true, smsConsent: 'denied' } })],
    ['no-consent', on(), context({ customer: { hasPhone: true, smsConsent: 'unknown' } })],
    ['no-consent', on({ requireExplicitConsent: false }), context({ customer: { hasPhone: true, smsConsent: 'denied' } })],
    ['suppressed', on(), context({ customer: { hasPhone: true, smsConsent: 'granted', lastSurveyedAt: '2026-04-05T06:10:01.000Z' } })],
    ['suppressed', on({ suppressionDays: 1 }), context({ customer: { hasPhone: true, smsConsent: 'granted', lastSurveyedAt: '2026-05-03T23:00:00.000Z' } })],
    ['sampled-out', on({ samplingPercent: 50 }), context({ samplingDraw: 50 })],
    ['sampled-out', on({ samplingPercent: 0 }), context({ samplingDraw: 0 })],
    ['capped', on({ dailyCap: 3 }), context({ surveysOnSendDay: 3 })],
  ] as [string, SurveyRules, SurveyContext][])('does not send: %s (%#)', (reason, rules, ctx) => {
    expect(decideSurvey(rules, ctx)).toEqual({ send: false, reason });
  });

  it.each([
    ['any queue when the list is empty, even none', on(), context({}, { queue: undefined })],
    ['a listed queue', on({ queues: ['billing'] }), context()],
    ['unknown consent when explicit consent is not required', on({ requireExplicitConsent: false }), context({ customer: { hasPhone: true, smsConsent: 'unknown' } })],
    ['a link without phone or consent (the tenant delivers it)', on({ deliveryChannel: 'link' }), context({ customer: { hasPhone: false, smsConsent: 'denied' } })],
    ['a customer last surveyed exactly N days before the send time', on(), context({ customer: { hasPhone: true, smsConsent: 'granted', lastSurveyedAt: '2026-04-04T06:10:00.000Z' } })],
    ['a recently surveyed customer when suppression is off', on({ suppressionDays: 0 }), context({ customer: { hasPhone: true, smsConsent: 'granted', lastSurveyedAt: '2026-05-04T05:00:00.000Z' } })],
    ['a draw just under the sampling percent', on({ samplingPercent: 50 }), context({ samplingDraw: 49.99 })],
    ['any draw at 100 percent', on({ samplingPercent: 100 }), context({ samplingDraw: 99.9999 })],
    ['under the cap', on({ dailyCap: 3 }), context({ surveysOnSendDay: 2 })],
    ['past any count without a cap', on({ dailyCap: null }), context({ surveysOnSendDay: 1_000_000 })],
  ] as [string, SurveyRules, SurveyContext][])('sends to %s', (_name, rules, ctx) => {
    expect(decideSurvey(rules, ctx).send).toBe(true);
  });

  it('names the first reason in order: configuration, then customer, then quotas', () => {
    const everythingWrong = context({ customer: { hasPhone: true, smsConsent: 'denied' }, samplingDraw: 99, surveysOnSendDay: 10 }, { channel: 'email', purpose: 'sales' });
    expect(decideSurvey(on({ channels: ['voice'], samplingPercent: 10, dailyCap: 1 }), everythingWrong)).toEqual({ send: false, reason: 'channel' });
    // Sampled out before capped: a contact not sampled never uses up the cap.
    expect(decideSurvey(on({ samplingPercent: 10, dailyCap: 1 }), context({ samplingDraw: 99, surveysOnSendDay: 10 }))).toEqual({ send: false, reason: 'sampled-out' });
  });

  it('counts the cap on the day the survey goes out, not the day the contact closed', () => {
    // Closed 23:30 Taipei: quiet hours hold it until 08:00 the next day.
    const decision = decideSurvey(on(), context({}, { closedAt: '2026-05-04T15:30:00.000Z' }));
    expect(decision).toEqual({ send: true, at: '2026-05-05T00:00:00.000Z', day: '2026-05-05' });
  });

  it('applies suppression against the delayed send time', () => {
    // Suppressed until exactly 08:00 the next morning, which is when quiet hours let this survey go anyway.
    const last = '2026-04-05T00:00:00.000Z';
    const late = context({ customer: { hasPhone: true, smsConsent: 'granted', lastSurveyedAt: last } }, { closedAt: '2026-05-04T15:30:00.000Z' });
    expect(decideSurvey(on(), late)).toMatchObject({ send: true, at: '2026-05-05T00:00:00.000Z' });
    expect(decideSurvey(on({ quietHours: null }), late)).toEqual({ send: false, reason: 'suppressed' });
  });
});

describe('quiet hours', () => {
  const quiet = { start: '21:00', end: '08:00' };
  const taipei = 'Asia/Taipei';
  // Taipei is UTC+8 all year: local = Z + 8h.
  it.each([
    ['before they start', '2026-05-04T12:59:00.000Z', '2026-05-04T12:59:00.000Z'],
    ['at their start (21:00)', '2026-05-04T13:00:00.000Z', '2026-05-05T00:00:00.000Z'],
    ['late evening', '2026-05-04T15:45:00.000Z', '2026-05-05T00:00:00.000Z'],
    ['just after midnight', '2026-05-04T16:05:00.000Z', '2026-05-05T00:00:00.000Z'],
    ['just before the end (07:59)', '2026-05-04T23:59:00.000Z', '2026-05-05T00:00:00.000Z'],
    ['at their end (08:00)', '2026-05-05T00:00:00.000Z', '2026-05-05T00:00:00.000Z'],
  ])('across midnight: due %s → sent %s', (_name, due, sent) => {
    expect(afterQuietHours(new Date(due), quiet, taipei).toISOString()).toBe(sent);
  });

  it.each([
    ['before they start', '2026-05-04T12:59:00.000Z', '2026-05-04T12:59:00.000Z'],
    ['at their start (21:00)', '2026-05-04T13:00:00.000Z', '2026-05-04T16:00:00.000Z'],
    ['just before midnight (23:59)', '2026-05-04T15:59:00.000Z', '2026-05-04T16:00:00.000Z'],
    ['at midnight, their end', '2026-05-04T16:00:00.000Z', '2026-05-04T16:00:00.000Z'],
  ])('until midnight (21:00–24:00): due %s', (_name, due, sent) => {
    expect(afterQuietHours(new Date(due), { start: '21:00', end: '24:00' }, taipei).toISOString()).toBe(sent);
  });

  it('until midnight on a holiday eve: a survey held to midnight waits on through the closed day', () => {
    const holiday = [{ date: '2026-05-05', name: 'Closed', hours: [] }];
    // 21:30 Taipei on 4 May → midnight opens 5 May, a closed day → 00:00 on 6 May (24:00 of the 5th).
    const at = surveySendTime({ delayMinutes: 0, quietHours: { start: '21:00', end: '24:00' } }, '2026-05-04T13:30:00.000Z', taipei, holiday);
    expect(at.toISOString()).toBe('2026-05-05T16:00:00.000Z');
  });

  it.each([
    ['before', '2026-05-04T04:59:00.000Z', '2026-05-04T04:59:00.000Z'],
    ['inside', '2026-05-04T05:30:00.000Z', '2026-05-04T06:00:00.000Z'],
    ['after', '2026-05-04T06:00:00.000Z', '2026-05-04T06:00:00.000Z'],
  ])('within one day (13:00–14:00, lunch): due %s', (_name, due, sent) => {
    expect(afterQuietHours(new Date(due), { start: '13:00', end: '14:00' }, taipei).toISOString()).toBe(sent);
  });

  it('send at 08:00 local on the morning clocks go forward (Europe/London, 29 March 2026)', () => {
    // 22:00 GMT on Saturday → 08:00 BST on Sunday, which is 07:00Z, 9 hours of elapsed time, not 10.
    const at = surveySendTime({ delayMinutes: 10, quietHours: quiet }, '2026-03-28T22:00:00.000Z', 'Europe/London');
    expect(at.toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  it('send at 08:00 local on the morning clocks go back (Europe/London, 25 October 2026)', () => {
    // 21:30 BST on Saturday (20:30Z) → 08:00 GMT on Sunday (08:00Z), 11.5 hours later.
    const at = surveySendTime({ delayMinutes: 0, quietHours: quiet }, '2026-10-24T20:30:00.000Z', 'Europe/London');
    expect(at.toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('know which side of a DST change a due time is on (America/New_York, 8 March 2026)', () => {
    // 01:30 EST = 06:30Z → 08:00 EDT = 12:00Z.
    expect(afterQuietHours(new Date('2026-03-08T06:30:00.000Z'), quiet, 'America/New_York').toISOString()).toBe('2026-03-08T12:00:00.000Z');
    // 20:55 EDT on the day after is outside; 21:05 EDT waits until 08:00 EDT.
    expect(afterQuietHours(new Date('2026-03-09T00:55:00.000Z'), quiet, 'America/New_York').toISOString()).toBe('2026-03-09T00:55:00.000Z');
    expect(afterQuietHours(new Date('2026-03-09T01:05:00.000Z'), quiet, 'America/New_York').toISOString()).toBe('2026-03-09T12:00:00.000Z');
  });

  it('a delay that crosses into quiet hours is held; no quiet hours sends at any hour', () => {
    const closed = '2026-05-04T12:50:00.000Z'; // 20:50 Taipei
    expect(surveySendTime({ delayMinutes: 15, quietHours: quiet }, closed, taipei).toISOString()).toBe('2026-05-05T00:00:00.000Z');
    expect(surveySendTime({ delayMinutes: 15, quietHours: null }, closed, taipei).toISOString()).toBe('2026-05-04T13:05:00.000Z');
    expect(surveySendTime({ delayMinutes: 0, quietHours: quiet }, closed, taipei).toISOString()).toBe(closed);
  });

  it('name the local day', () => {
    expect(localDay(new Date('2026-05-04T16:30:00.000Z'), taipei)).toBe('2026-05-05');
    expect(localDay(new Date('2026-05-04T16:30:00.000Z'), 'America/New_York')).toBe('2026-05-04');
  });
});

describe('sampling', () => {
  it('draws the same number for the same contact, every time', () => {
    const first = samplingDraw('con_01JABCDEFGHJKMNPQRSTVWXYZ0');
    for (let i = 0; i < 5; i++) expect(samplingDraw('con_01JABCDEFGHJKMNPQRSTVWXYZ0')).toBe(first);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(100);
  });

  it('spreads contacts evenly, so the percentage is what is sent', () => {
    const draws = Array.from({ length: 10_000 }, (_, i) => samplingDraw(`con_${i}`));
    const sampled = draws.filter((draw) => draw < 20).length;
    expect(sampled).toBeGreaterThan(1_850);
    expect(sampled).toBeLessThan(2_150);
    expect(new Set(draws.map((draw) => Math.floor(draw))).size).toBe(100);
  });

  it('decides a redelivered contact the same way', () => {
    const rules = on({ samplingPercent: 30 });
    const decisions = Array.from({ length: 3 }, () => decideSurvey(rules, context({ samplingDraw: samplingDraw('con_redelivered') })));
    expect(new Set(decisions.map((decision) => JSON.stringify(decision))).size).toBe(1);
  });
});
