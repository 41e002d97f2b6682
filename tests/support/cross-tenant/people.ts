import { expect } from 'vitest';
import { signInPerson } from '../people-sign-in';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  personId: string;
  personEmail: string;
  personToken: string;
  peopleCursor: string;
}

/**
 * Tenant A's people: B's admin (key or person) can neither read, change, deactivate nor reactivate
 * them, and A's person's token is A's only. A's person signs in on the twin's own issuer.
 */
export const peopleArea: CrossTenantArea<Seeded> = {
  name: 'people',

  async seed(twin, aKey) {
    const personEmail = `a.supervisor.${Math.random().toString(36).slice(2, 8)}@tenant-a-secret.example`;
    const invited = await api(twin.url, 'POST', '/v1/people', { key: aKey, body: { email: personEmail, role: 'supervisor', displayName: 'Secret A Person' } });
    expect(invited.status).toBe(201);
    const second = await api(twin.url, 'POST', '/v1/people', { key: aKey, body: { email: `a.agent.${personEmail}`, role: 'agent' } });
    expect(second.status).toBe(201);
    const page = await api(twin.url, 'GET', '/v1/people?limit=1', { key: aKey });
    const { accessToken } = await signInPerson(twin, personEmail);
    return {
      personId: invited.body.personId,
      personEmail,
      personToken: accessToken,
      peopleCursor: page.body.nextCursor,
      secrets: [invited.body.personId, second.body.personId, personEmail, 'tenant-a-secret', 'Secret A Person'],
    };
  },

  probes: {
    listPeople: () => ({ path: '/v1/people' }),
    invitePerson: (a) => ({ path: '/v1/people', body: { email: a.personEmail, role: 'admin' } }),
    getPerson: (a) => ({ path: `/v1/people/${a.personId}` }),
    updatePerson: (a) => ({ path: `/v1/people/${a.personId}`, body: { role: 'viewer', agentId: 'stolen' }, headers: { 'if-match': '*' } }),
    deactivatePerson: (a) => ({ path: `/v1/people/${a.personId}/deactivate` }),
    reactivatePerson: (a) => ({ path: `/v1/people/${a.personId}/reactivate` }),
    resendInvitation: (a) => ({ path: `/v1/people/${a.personId}/invitation` }),
    getMe: () => ({ path: '/v1/me' }),
    signOutEverywhere: () => ({ path: '/v1/me/sign-out-everywhere' }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const person = await api(twin.url, 'GET', `/v1/people/${a.personId}`, { key: aKey });
    expect(person.status).toBe(200);
    expect(person.body).toMatchObject({ role: 'supervisor', displayName: 'Secret A Person', version: 1 });
    expect(person.body.state).not.toBe('deactivated');
    const me = await api(twin.url, 'GET', '/v1/me', { key: a.personToken });
    expect(me.status).toBe(200);
    expect(me.body.principal.personId).toBe(a.personId);
  },

  cursors: (a) => [{ path: '/v1/people', cursor: a.peopleCursor }],
};
