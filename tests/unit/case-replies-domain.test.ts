import { describe, expect, it } from 'vitest';
import { caseMailFrom, emptyAllocations } from '../../shared/domain/allocations';
import { InvalidCannedReply, customerNameFor, newCannedReply, patchCannedReply, renderReply, unknownVariables } from '../../shared/domain/canned-replies';
import { conversationOpen, smsSendableAt } from '../../shared/domain/case-replies';
import { scrubTimelineEntry } from '../../shared/domain/erasure';

const sources = (locale: 'en' | 'zh-TW') => ({
  customer: { givenName: '美玲', familyName: '林' },
  case: { caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2', dueAt: '2026-03-09T16:30:00.000Z' },
  timezone: 'Asia/Taipei',
  locale,
});

describe('reply variables', () => {
  it('fills in the name in the language’s order, the case id and the deadline on the tenant’s clock', () => {
    expect(renderReply('{customerName}您好，案件 {caseNumber} 將於 {deadline} 前解決', sources('zh-TW'), '$.text')).toBe(
      '林美玲您好，案件 cas_01JFD2E3F4G5H6J7K8M9N0P1Q2 將於 2026年3月10日 00:30 前解決',
    );
    expect(renderReply('Dear {customerName}, by {deadline}', sources('en'), '$.text')).toBe('Dear 美玲 林, by March 10, 2026 at 00:30');
  });

  it('names an unknown variable at its field and leaves braces around other text alone', () => {
    expect(unknownVariables('Hi {name} and {customerName} and {客戶} and {name}')).toEqual(['name']);
    expect(() => renderReply('Hi {firstName}', sources('en'), '$.text')).toThrow(InvalidCannedReply);
    try {
      renderReply('Hi {firstName}', sources('en'), '$.text');
    } catch (error) {
      expect((error as InvalidCannedReply).errors).toEqual([{ path: '$.text', message: expect.stringContaining('{firstName}') }]);
    }
    expect(renderReply('{客戶} {customerName}', sources('zh-TW'), '$.text')).toBe('{客戶} 林美玲');
  });

  it('calls a customer without a name "customer" in the reply’s language', () => {
    expect(customerNameFor({}, 'en')).toBe('customer');
    expect(customerNameFor({}, 'zh-TW')).toBe('顧客');
    expect(customerNameFor({ displayName: 'Mei', givenName: 'X' }, 'en')).toBe('Mei');
  });
});

describe('canned replies', () => {
  const input = { title: 'Refund', texts: { en: 'Dear {customerName}' } };
  it('need a text in one language at least, and check every text and subject', () => {
    expect(() => newCannedReply({ title: 'x', texts: {} }, { cannedReplyId: 'cnr_1', now: '2026-03-01T00:00:00Z' })).toThrow(InvalidCannedReply);
    try {
      newCannedReply({ title: 'x', texts: { 'zh-TW': '{a}' }, subjects: { en: '{b}' } }, { cannedReplyId: 'cnr_1', now: '2026-03-01T00:00:00Z' });
    } catch (error) {
      expect((error as InvalidCannedReply).errors.map((e) => e.path)).toEqual(["$.texts['zh-TW']", '$.subjects.en']);
    }
  });

  it('change their version only when something changes', () => {
    const reply = newCannedReply(input, { cannedReplyId: 'cnr_1', now: '2026-03-01T00:00:00Z' });
    expect(patchCannedReply(reply, { title: 'Refund' }, '2026-03-02T00:00:00Z')).toBe(reply);
    expect(patchCannedReply(reply, { title: 'Refunded' }, '2026-03-02T00:00:00Z')).toMatchObject({ title: 'Refunded', version: 2, updatedAt: '2026-03-02T00:00:00Z' });
    expect(patchCannedReply({ ...reply, subjects: { en: 'S' } }, { subjects: null }, '2026-03-02T00:00:00Z')).not.toHaveProperty('subjects');
  });
});

describe('the SMS conversation of a case', () => {
  it('stays open 14 days after our last SMS, while the case is not closed', () => {
    const lastSentAt = '2026-03-01T00:00:00.000Z';
    expect(conversationOpen({ lastSentAt }, 'awaiting_customer', new Date('2026-03-15T00:00:00.000Z'))).toBe(true);
    expect(conversationOpen({ lastSentAt }, 'resolved', new Date('2026-03-15T00:00:01.000Z'))).toBe(false);
    expect(conversationOpen({ lastSentAt }, 'closed', new Date('2026-03-02T00:00:00.000Z'))).toBe(false);
  });

  it('may text now outside the quiet hours, and at their end inside them (tenant time)', () => {
    const quiet = { start: '21:00', end: '08:00' };
    const noonTaipei = new Date('2026-03-02T04:00:00.000Z');
    expect(smsSendableAt(noonTaipei, quiet, 'Asia/Taipei')).toEqual(noonTaipei);
    expect(smsSendableAt(new Date('2026-03-02T15:00:00.000Z'), quiet, 'Asia/Taipei').toISOString()).toBe('2026-03-03T00:00:00.000Z');
    expect(smsSendableAt(new Date('2026-03-02T15:00:00.000Z'), null, 'Asia/Taipei').toISOString()).toBe('2026-03-02T15:00:00.000Z');
  });
});

describe('the From of a case e-mail', () => {
  it('is the first allocated identity, a domain as replies@, named by the tenant (encoded beyond ASCII)', () => {
    expect(caseMailFrom(emptyAllocations(), 'Acme')).toBeUndefined();
    expect(caseMailFrom({ ...emptyAllocations(), mailIdentities: ['mail.acme.tw'] }, 'Acme "Care"')).toEqual({ from: '"Acme Care" <replies@mail.acme.tw>', domain: 'mail.acme.tw' });
    expect(caseMailFrom({ ...emptyAllocations(), mailIdentities: ['care@acme.tw'] }, '艾克米')).toEqual({
      from: `=?UTF-8?B?${Buffer.from('艾克米').toString('base64')}?= <care@acme.tw>`,
      domain: 'acme.tw',
    });
  });
});

describe('erasure', () => {
  it('scrubs a sent reply’s subject as well as its text', () => {
    const scrubbed = scrubTimelineEntry({ entryId: 'cev_1', type: 'message_sent', at: '2026-03-01T00:00:00Z', actor: 'a', text: 'Dear Mei', subject: 'Mei, your refund' });
    expect(scrubbed.text).not.toContain('Mei');
    expect(scrubbed.subject).not.toContain('Mei');
  });
});
