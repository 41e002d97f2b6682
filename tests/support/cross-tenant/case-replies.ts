import { expect } from 'vitest';
import { api } from '../twin';
import { allocate } from '../operator';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  /** Named apart from the cases area's caseId and customerId, which the generated requests use. */
  repliedCaseId: string;
  replyCustomerEmail: string;
  cannedReplyId: string;
  listCursor: string;
}

export const caseRepliesArea: CrossTenantArea<Seeded> = {
  name: 'case-replies',

  async seed(twin, aKey) {
    const tenant = await api(twin.url, 'GET', '/v1/tenant', { key: aKey });
    // A's own mail identity, so that A's e-mail reply (the contract test's valid request) goes out.
    await allocate(twin, tenant.body.tenantId, 'mail-identity', `mail-${tenant.body.tenantId.slice(-8).toLowerCase()}.tenant-a.example`);
    const replyCustomerEmail = `secret.reply.${Date.now()}@tenant-a.example`;
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Reply holder A', email: replyCustomerEmail } });
    const opened = await api(twin.url, 'POST', '/v1/cases', {
      key: aKey,
      body: { type: 'inquiry', category: 'billing', subject: 'Secret reply subject', customerId: customer.body.customerId },
    });
    expect(opened.status).toBe(201);
    const canned = await api(twin.url, 'POST', '/v1/canned-replies', { key: aKey, body: { title: 'Secret canned title', texts: { en: 'Secret canned text {customerName}' } } });
    expect(canned.status).toBe(201);
    await api(twin.url, 'POST', '/v1/canned-replies', { key: aKey, body: { title: 'Second canned', texts: { 'zh-TW': '第二則' } } });
    const page = await api(twin.url, 'GET', '/v1/canned-replies?limit=1', { key: aKey });
    return {
      repliedCaseId: opened.body.caseId,
      replyCustomerEmail,
      cannedReplyId: canned.body.cannedReplyId,
      listCursor: page.body.nextCursor,
      secrets: [opened.body.caseId, canned.body.cannedReplyId, replyCustomerEmail, 'Secret reply subject', 'Secret canned title', 'Secret canned text'],
    };
  },

  probes: {
    sendCaseReply: (a) => ({ path: `/v1/cases/${a.repliedCaseId}/replies`, body: { channel: 'email', text: 'Probe reply' } }),
    createCannedReply: () => ({ path: '/v1/canned-replies', body: { title: 'B probe', texts: { en: 'Hello {customerName}' } } }),
    listCannedReplies: () => ({ path: '/v1/canned-replies' }),
    getCannedReply: (a) => ({ path: `/v1/canned-replies/${a.cannedReplyId}` }),
    updateCannedReply: (a) => ({ path: `/v1/canned-replies/${a.cannedReplyId}`, body: { title: 'Hijacked' }, headers: { 'if-match': '*' } }),
    deleteCannedReply: (a) => ({ path: `/v1/canned-replies/${a.cannedReplyId}` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const canned = await api(twin.url, 'GET', `/v1/canned-replies/${a.cannedReplyId}`, { key: aKey });
    expect(canned.status).toBe(200);
    expect(canned.body).toMatchObject({ title: 'Secret canned title', version: 1 });
    const read = await api(twin.url, 'GET', `/v1/cases/${a.repliedCaseId}`, { key: aKey });
    expect(read.body.timeline.map((entry: { type: string }) => entry.type)).toEqual(['opened']);
    const mail = await api(twin.url, 'GET', `/local/mail/outbox?to=${encodeURIComponent(a.replyCustomerEmail)}`);
    expect(mail.body.items).toEqual([]);
  },

  cursors: (a) => [{ path: '/v1/canned-replies', cursor: a.listCursor }],
};
