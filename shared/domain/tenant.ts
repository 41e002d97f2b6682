import { newId } from '../ids';
import type { Settings } from '../schemas/settings';
import type { SurveyTemplate } from '../schemas/survey-template';
import type { CreateTenantBody, Plan } from '../schemas/tenant';
import { defaultSettings } from './settings';
import { defaultTemplateContent } from './surveys/default-template';
import { newSurveyTemplate } from './surveys/versions';

/** A tenant's profile as stored on its tenant item. */
export interface NewTenantProfile {
  tenantId: string;
  name: string;
  plan: Plan;
  createdAt: string;
}

/**
 * What a new tenant starts with, however it is created (the operator's POST /v1/tenants or a
 * self-service sign-up): its profile, its default settings (no SMS sender: the operator
 * allocates one) and its default survey template in its language. The first admin (a key or a
 * person) is the caller's, written in the same transaction (tenants-repo insertTenant).
 */
export function newTenantRecords(body: CreateTenantBody, now: string): { profile: NewTenantProfile; settings: Settings; surveyTemplate: SurveyTemplate } {
  const tenantId = newId('ten');
  const profile: NewTenantProfile = { tenantId, name: body.name, plan: body.plan, createdAt: now };
  const surveyTemplate = newSurveyTemplate(defaultTemplateContent(body.locale), { templateId: newId('svt'), now, isDefault: true });
  const settings = defaultSettings(body, now, surveyTemplate.templateId);
  return { profile, settings, surveyTemplate };
}
