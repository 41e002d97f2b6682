import { describe, expect, it } from 'vitest';
import { brokenPasswordRules } from '../../shared/domain/password-policy';
import {
  agentIdCandidates,
  anotherActiveAdmin,
  invitationMail,
  removesAdmin,
  sessionStillValid,
  sessionsValidAfterOf,
  signInDue,
  temporaryPassword,
} from '../../shared/domain/person';
import { linkUsable, pendingSignup, repeatedSignup, verifiedSignup } from '../../shared/domain/signup';
import { agentIdProblem } from '../../shared/domain/agent';
import { InvitePersonBody } from '../../shared/schemas/person';

describe('people, the rules', () => {
  it('derive an agent id from the e-mail address, valid and with numbered alternatives', () => {
    expect(agentIdCandidates('Mei.Lin@acme.tw').slice(0, 3)).toEqual(['mei.lin', 'mei.lin-2', 'mei.lin-3']);
    for (const candidate of agentIdCandidates('a#b:c d@acme.tw')) expect(agentIdProblem(candidate)).toBeUndefined();
    expect(agentIdCandidates('a#b:c d@acme.tw')[0]).toBe('a-b-c-d');
  });

  it('read e-mail addresses lower-cased, so one address is one person', () => {
    const parsed = InvitePersonBody.parse({ email: '  Mei.Lin@ACME.tw ', role: 'agent' });
    expect(parsed.email).toBe('mei.lin@acme.tw');
    expect(InvitePersonBody.safeParse({ email: 'not an address', role: 'agent' }).success).toBe(false);
    expect(InvitePersonBody.safeParse({ email: 'a@b.tw', role: 'owner' }).success).toBe(false);
  });

  it('see that demoting or deactivating an active admin removes an admin, and find another to keep', () => {
    const admin = { role: 'admin', state: 'active' } as const;
    expect(removesAdmin(admin, { role: 'supervisor' })).toBe(true);
    expect(removesAdmin(admin, { state: 'deactivated' })).toBe(true);
    expect(removesAdmin(admin, { role: 'admin' })).toBe(false);
    expect(removesAdmin({ role: 'admin', state: 'invited' }, { role: 'agent' })).toBe(false);
    expect(removesAdmin({ role: 'agent', state: 'active' }, { state: 'deactivated' })).toBe(false);
    const people = [
      { personId: 'per_a', role: 'admin', state: 'active' },
      { personId: 'per_b', role: 'admin', state: 'invited' },
      { personId: 'per_c', role: 'admin', state: 'deactivated' },
      { personId: 'per_d', role: 'supervisor', state: 'active' },
    ] as const;
    expect(anotherActiveAdmin(people, 'per_a')).toBeUndefined();
    expect(anotherActiveAdmin([...people, { personId: 'per_e', role: 'admin', state: 'active' }], 'per_a')).toBe('per_e');
  });

  it('refuse tokens issued before a sign-out everywhere, that second included', () => {
    const at = new Date('2026-12-05T10:00:00.500Z');
    const validAfter = sessionsValidAfterOf(at);
    const second = Math.floor(at.getTime() / 1000);
    expect(sessionStillValid({ sessionsValidAfter: validAfter }, second)).toBe(false);
    expect(sessionStillValid({ sessionsValidAfter: validAfter }, second + 1)).toBe(true);
    expect(sessionStillValid({}, 0)).toBe(true);
  });

  it('record a sign-in at most every 15 minutes', () => {
    const now = new Date('2026-12-05T10:00:00.000Z');
    expect(signInDue(undefined, now)).toBe(true);
    expect(signInDue('2026-12-05T09:46:00.000Z', now)).toBe(false);
    expect(signInDue('2026-12-05T09:45:00.000Z', now)).toBe(true);
  });

  it('make temporary passwords that meet the pool policy and differ', () => {
    const passwords = Array.from({ length: 20 }, temporaryPassword);
    for (const password of passwords) expect(password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{16}$/);
    for (const password of passwords) expect(brokenPasswordRules(password)).toEqual([]);
    expect(new Set(passwords).size).toBe(20);
  });

  it("mail invitations in the tenant's language first, then the other", () => {
    const mail = invitationMail({ locale: 'en', tenantName: 'Acme', role: 'viewer', email: 'a@b.tw', temporaryPassword: 'Xy3!Xy3!Xy3!Xy3!', consoleUrl: 'https://console.example/' });
    expect(mail.subject).toBe('You are invited to Acme on Switchboard / 您受邀加入 Switchboard 上的 Acme');
    expect(mail.text.indexOf('as viewer')).toBeLessThan(mail.text.indexOf('檢視者'));
    expect(mail.text).toContain('Xy3!Xy3!Xy3!Xy3!');
  });
});

describe('sign-up, the rules', () => {
  const body = { businessName: 'Acme Florist', timezone: 'Asia/Taipei', country: 'TW', locale: 'zh-TW', adminEmail: 'owner@florist.tw' } as const;
  const now = new Date('2026-12-05T10:00:00.000Z');

  it('a link works once, for 24 hours, with its own token only', () => {
    const signup = pendingSignup(body, { signupId: 'sig_1', tokenHash: 'h1', now });
    expect(linkUsable(signup, 'h1', new Date(now.getTime() + 23 * 3600_000))).toBe(true);
    expect(linkUsable(signup, 'h1', new Date(now.getTime() + 24 * 3600_000))).toBe(false);
    expect(linkUsable(signup, 'h2', now)).toBe(false);
    const verified = verifiedSignup(signup, { subject: 'sub-1', requiresApproval: false, now });
    expect(verified).not.toHaveProperty('tokenHash');
    expect(linkUsable(verified, 'h1', now)).toBe(false);
  });

  it('waits for approval when the stage requires it', () => {
    const signup = pendingSignup(body, { signupId: 'sig_1', tokenHash: 'h1', now });
    expect(verifiedSignup(signup, { subject: 's', requiresApproval: true, now }).state).toBe('awaiting-approval');
    expect(verifiedSignup(signup, { subject: 's', requiresApproval: false, now }).state).toBe('completed');
  });

  it('a second sign-up for an address starts again while pending or rejected, and reminds once it is verified', () => {
    expect(repeatedSignup('pending-verification')).toBe('new-link');
    expect(repeatedSignup('rejected')).toBe('new-link');
    expect(repeatedSignup('awaiting-approval')).toBe('remind');
    expect(repeatedSignup('completed')).toBe('remind');
  });
});
