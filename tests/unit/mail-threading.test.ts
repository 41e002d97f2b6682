import { describe, expect, it } from 'vitest';
import { caseIdFromThread, caseMessageId, tenantIdFromMailbox, tenantMailbox } from '../../shared/domain/mail-threading';

const caseId = 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2';
const tenantId = 'ten_01JF9A2B3C4D5E6F7G8H9J0K1M';

describe('mail threading', () => {
  it('finds the case of a reply from In-Reply-To, even when the client lower-cased it', () => {
    const sent = caseMessageId(caseId, 'cev_01JFD2E3F4G5H6J7K8M9N0P1Q3', 'mail.example.com');
    expect(caseIdFromThread({ inReplyTo: sent })).toBe(caseId);
    expect(caseIdFromThread({ inReplyTo: sent.toLowerCase() })).toBe(caseId);
  });

  it('reads References from the newest when In-Reply-To names no case of ours', () => {
    const older = caseMessageId('cas_01JFD2E3F4G5H6J7K8M9N0P1AA', 'cev_01JFD2E3F4G5H6J7K8M9N0P1Q3', 'm.example');
    const newer = caseMessageId(caseId, 'cev_01JFD2E3F4G5H6J7K8M9N0P1Q4', 'm.example');
    expect(caseIdFromThread({ inReplyTo: '<abc@gmail.com>', references: `${older} <x@y> ${newer}` })).toBe(caseId);
  });

  it('names no case for mail that quotes none of ours', () => {
    expect(caseIdFromThread({})).toBeUndefined();
    expect(caseIdFromThread({ inReplyTo: '<cas_01JFD2E3F4G5H6J7K8M9N0P1Q2@example.com>', references: '<a.b@c>' })).toBeUndefined();
  });

  it("maps a tenant's mailbox both ways, and refuses other domains and local parts", () => {
    const mailbox = tenantMailbox(tenantId, 'Inbound.Example.com');
    expect(mailbox).toBe('ten_01jf9a2b3c4d5e6f7g8h9j0k1m@inbound.example.com');
    expect(tenantIdFromMailbox(mailbox, 'inbound.example.com')).toBe(tenantId);
    expect(tenantIdFromMailbox(mailbox.toUpperCase(), 'inbound.example.com')).toBe(tenantId);
    expect(tenantIdFromMailbox(mailbox, 'other.example.com')).toBeUndefined();
    expect(tenantIdFromMailbox('support@inbound.example.com', 'inbound.example.com')).toBeUndefined();
    expect(tenantIdFromMailbox('no-at-sign', 'inbound.example.com')).toBeUndefined();
  });
});
