import { describe, expect, it } from 'vitest';
import { eventRelay } from '../../shared/events/outbox-stream';
import { matchesPattern } from '../../shared/events/pattern';
import { subscriptions } from '../../shared/events/subscriptions';

const caseOpened = {
  version: '0',
  id: 'b1f0',
  source: 'switchboard',
  'detail-type': 'Case Opened',
  detail: { eventId: 'evt_1', tenantId: 'ten_1', data: { type: 'complaint', severity: 'high', tags: ['vip', 'repeat'], assignee: null } },
};

describe('EventBridge pattern matching', () => {
  it('matches on every named field and ignores the rest', () => {
    expect(matchesPattern({ source: ['switchboard'] }, caseOpened)).toBe(true);
    expect(matchesPattern({ source: ['switchboard'], 'detail-type': ['Case Opened', 'Case Resolved'] }, caseOpened)).toBe(true);
    expect(matchesPattern({ source: ['switchboard'], 'detail-type': ['Case Resolved'] }, caseOpened)).toBe(false);
    expect(matchesPattern({ source: ['aws.connect'] }, caseOpened)).toBe(false);
  });

  it('descends into nested detail fields', () => {
    expect(matchesPattern({ detail: { data: { type: ['complaint'] } } }, caseOpened)).toBe(true);
    expect(matchesPattern({ detail: { data: { type: ['request'] } } }, caseOpened)).toBe(false);
    expect(matchesPattern({ detail: { missing: { deeper: ['x'] } } }, caseOpened)).toBe(false);
  });

  it('matches an array value when any element matches', () => {
    expect(matchesPattern({ detail: { data: { tags: ['vip'] } } }, caseOpened)).toBe(true);
    expect(matchesPattern({ detail: { data: { tags: ['new'] } } }, caseOpened)).toBe(false);
  });

  it('supports prefix, suffix, equals-ignore-case and anything-but', () => {
    expect(matchesPattern({ 'detail-type': [{ prefix: 'Case ' }] }, caseOpened)).toBe(true);
    expect(matchesPattern({ 'detail-type': [{ prefix: 'Contact ' }] }, caseOpened)).toBe(false);
    expect(matchesPattern({ 'detail-type': [{ suffix: 'Opened' }] }, caseOpened)).toBe(true);
    expect(matchesPattern({ 'detail-type': [{ 'equals-ignore-case': 'case opened' }] }, caseOpened)).toBe(true);
    expect(matchesPattern({ detail: { data: { severity: [{ 'anything-but': ['low', 'medium'] }] } } }, caseOpened)).toBe(true);
    expect(matchesPattern({ detail: { data: { severity: [{ 'anything-but': 'high' }] } } }, caseOpened)).toBe(false);
  });

  it('anything-but needs the field to be present; exists: false needs it absent', () => {
    expect(matchesPattern({ detail: { data: { category: [{ 'anything-but': ['billing'] }] } } }, caseOpened)).toBe(false);
    expect(matchesPattern({ detail: { data: { category: [{ exists: false }] } } }, caseOpened)).toBe(true);
    expect(matchesPattern({ detail: { data: { type: [{ exists: false }] } } }, caseOpened)).toBe(false);
    expect(matchesPattern({ detail: { data: { type: [{ exists: true }] } } }, caseOpened)).toBe(true);
    expect(matchesPattern({ detail: { data: { category: [{ exists: true }] } } }, caseOpened)).toBe(false);
  });

  it('matches null and numbers as leaf values, never objects', () => {
    expect(matchesPattern({ detail: { data: { assignee: [null] } } }, caseOpened)).toBe(true);
    expect(matchesPattern({ version: ['0'] }, caseOpened)).toBe(true);
    expect(matchesPattern({ detail: { data: ['anything'] } }, caseOpened)).toBe(false);
  });

  it('passes inserted outbox records to the relay, and nothing else', () => {
    const record = (eventName: string, type: string) => ({
      eventName,
      dynamodb: { NewImage: { pk: { S: 'T#ten_1#OUTBOX#evt_1' }, type: { S: type } } },
    });
    expect(matchesPattern(eventRelay.filter, record('INSERT', 'OutboxEvent'))).toBe(true);
    expect(matchesPattern(eventRelay.filter, record('MODIFY', 'OutboxEvent'))).toBe(false);
    expect(matchesPattern(eventRelay.filter, record('INSERT', 'Customer'))).toBe(false);
    expect(matchesPattern(eventRelay.filter, { eventName: 'REMOVE', dynamodb: {} })).toBe(false);
  });

  it('every declared subscription is a pattern on Switchboard events', () => {
    for (const subscription of subscriptions) {
      expect(subscription.pattern.source.length, subscription.name).toBeGreaterThan(0);
      expect(() => matchesPattern(subscription.pattern, caseOpened), subscription.name).not.toThrow();
    }
  });
});
