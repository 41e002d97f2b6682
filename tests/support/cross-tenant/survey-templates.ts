import { expect } from 'vitest';
import { defaultTemplateContent } from '../../../shared/domain/surveys/default-template';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  templateId: string;
  listCursor: string;
}

export const surveyTemplatesArea: CrossTenantArea<Seeded> = {
  name: 'survey-templates',

  async seed(twin, aKey) {
    const content = { ...defaultTemplateContent('en'), name: 'Secret template name', description: 'Secret template description' };
    const created = await api(twin.url, 'POST', '/v1/survey-templates', { key: aKey, body: content });
    expect(created.status).toBe(201);
    const page = await api(twin.url, 'GET', '/v1/survey-templates?limit=1', { key: aKey });
    return {
      templateId: created.body.templateId,
      listCursor: page.body.nextCursor,
      secrets: [created.body.templateId, 'Secret template name', 'Secret template description'],
    };
  },

  probes: {
    createSurveyTemplate: () => ({ path: '/v1/survey-templates', body: { ...defaultTemplateContent('en'), name: 'B probe' } }),
    listSurveyTemplates: () => ({ path: '/v1/survey-templates' }),
    getSurveyTemplate: (a) => ({ path: `/v1/survey-templates/${a.templateId}?version=1` }),
    updateSurveyTemplate: (a) => ({ path: `/v1/survey-templates/${a.templateId}`, body: { name: 'Hijacked' }, headers: { 'if-match': '*' } }),
    archiveSurveyTemplate: (a) => ({ path: `/v1/survey-templates/${a.templateId}` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const read = await api(twin.url, 'GET', `/v1/survey-templates/${a.templateId}`, { key: aKey });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'Secret template name', status: 'active', version: 1, currentVersion: 1 });
  },

  cursors: (a) => [{ path: '/v1/survey-templates', cursor: a.listCursor }],
};
