import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { fieldError } from '../../components/problem';
import { type Locale, useLocale, useMessages } from '../../i18n/locale';
import { settingsMessages, surveyPageWords } from './messages';
import { useSection } from './section';
import { brandPalette, isBrandColour } from '../../../../shared/domain/brand-palette';
import type { Settings } from './use-settings';

type Branding = Settings['branding'];
type Question = Schemas['SurveyQuestion'];

const scales: Partial<Record<Question['type'], { min: number; max: number }>> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
  ces: { min: 1, max: 7 },
  dimension: { min: 1, max: 5 },
};

export function BrandingSection({ settings }: { settings: Settings }) {
  const t = useMessages(settingsMessages);
  const { locale } = useLocale();
  const [previewLanguage, setPreviewLanguage] = useState<Locale>(settings.locale === 'en' ? 'en' : locale);
  const section = useSection<Branding>({
    id: 'branding',
    settings,
    header: t('brandingTitle'),
    description: t('brandingDescription'),
    fromSettings: (current) => current.branding,
    toPatch: (draft) => ({ branding: draft }),
  });
  const { value, change, error, canEdit } = section;

  return section.frame(
    <ColumnLayout columns={2}>
      <SpaceBetween size="l">
        <FormField label={t('displayName')} description={t('displayNameDescription')} errorText={fieldError(error, '$.branding.displayName')}>
          <Input value={value.displayName} readOnly={!canEdit} onChange={(event) => change({ ...value, displayName: event.detail.value })} />
        </FormField>
        <FormField
          label={t('colour')}
          description={t('colourDescription')}
          errorText={fieldError(error, '$.branding.colour')}
        >
          <SpaceBetween direction="horizontal" size="xs" alignItems="center">
            <Input value={value.colour} readOnly={!canEdit} placeholder="#1F6FEB" onChange={(event) => change({ ...value, colour: event.detail.value })} />
            {canEdit && (
              <input
                type="color"
                aria-label={t('colourPicker')}
                value={isBrandColour(value.colour) ? value.colour.toLowerCase() : '#1f4e79'}
                onChange={(event) => change({ ...value, colour: event.target.value.toUpperCase() })}
                style={{ width: '2.5rem', height: '2rem', padding: 0, border: '1px solid #8c8c94', borderRadius: '4px', background: 'none', cursor: 'pointer' }}
              />
            )}
          </SpaceBetween>
        </FormField>
        <Box variant="p" color="text-body-secondary">
          {t('logoNote')}
        </Box>
      </SpaceBetween>
      <SpaceBetween size="s">
        <SegmentedControl
          label={t('previewLanguage')}
          selectedId={previewLanguage}
          onChange={(event) => setPreviewLanguage(event.detail.selectedId as Locale)}
          options={[
            { id: 'en', text: 'English' },
            { id: 'zh-TW', text: '繁體中文' },
          ]}
        />
        <SurveyPagePreview company={value.displayName} colour={value.colour} language={previewLanguage} templateId={settings.surveys.templateId} label={t('previewLabel')} />
      </SpaceBetween>
    </ColumnLayout>,
  );
}

/**
 * The survey page as a customer's phone shows it (shared/http/survey-page.ts renders the real one
 * on the server): the same colours, words and layout, with the first question of the template the
 * survey rules use. A picture, not a form: nothing in it can be clicked.
 */
function SurveyPagePreview({ company, colour, language, templateId, label }: { company: string; colour: string; language: Locale; templateId: string | null; label: string }) {
  const api = useApi();
  const template = useQuery({
    queryKey: ['survey-templates', templateId],
    queryFn: () => answer(api.GET('/v1/survey-templates/{templateId}', { params: { path: { templateId: templateId! } } })),
    enabled: !!templateId,
  });
  const w = surveyPageWords[language];
  const { brand, onBrand, accent } = brandPalette(colour);
  const name = company.trim() || '…';
  const fill = (text: string) => text.replaceAll('{company}', name);
  const question = template.data?.questions.find((candidate) => candidate.type === 'resolved' || scales[candidate.type]);
  const scale = question ? scales[question.type] : scales.csat;
  const options = scale ? Array.from({ length: scale.max - scale.min + 1 }, (_, index) => String(scale.min + index)) : [w.yes, w.no];
  const chosen = options[Math.floor((options.length - 1) * 0.75)];
  const ends = question && 'scaleLabels' in question && question.scaleLabels ? question.scaleLabels : undefined;
  const muted = { color: '#4d4d4d', fontSize: '.9375rem' };

  return (
    <div role="group" aria-label={label} lang={language} style={{ maxWidth: '24rem', border: '1px solid #c6c6cd', borderRadius: '1rem', overflow: 'hidden' }}>
      <div style={{ background: '#f4f4f5', color: '#1a1a1a', font: '1.0625rem/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans TC","Noto Sans CJK TC","PingFang TC","Microsoft JhengHei",sans-serif' }}>
        <div data-preview="brand" style={{ background: brand, color: onBrand, padding: '1rem 1.25rem', fontWeight: 700, fontSize: '1.125rem' }}>
          {name}
        </div>
        <div style={{ padding: '1rem 1rem 1.5rem' }}>
          <div style={{ fontSize: '1.5rem', lineHeight: 1.3, margin: '.75rem 0', fontWeight: 700 }}>{w.title}</div>
          <p style={{ margin: '0 0 1.25rem' }}>{w.intro(name)}</p>
          <div style={{ margin: '0 0 1rem', padding: '1rem', background: '#fff', borderRadius: '.75rem', boxShadow: '0 1px 3px rgba(0,0,0,.12)' }}>
            <div style={{ margin: '0 0 .75rem', fontWeight: 600 }}>
              1. {question ? fill(question.text[language]) : w.sampleQuestion(name)}{' '}
              <span style={{ ...muted, fontWeight: 400 }}>{question && !question.required ? w.optional : w.required}</span>
            </div>
            <div style={{ display: 'grid', gridTemplateColumns: scale ? 'repeat(auto-fill,minmax(2.9rem,1fr))' : '1fr 1fr', gap: '.5rem' }}>
              {options.map((option) => {
                const selected = option === chosen;
                return (
                  <span
                    key={option}
                    data-preview={selected ? 'chosen' : 'option'}
                    style={{
                      display: 'flex',
                      alignItems: 'center',
                      justifyContent: 'center',
                      minHeight: '3rem',
                      border: `2px solid ${selected ? accent : '#767676'}`,
                      borderRadius: '.5rem',
                      background: selected ? brand : '#fff',
                      color: selected ? onBrand : '#1a1a1a',
                      boxShadow: selected ? `inset 0 0 0 2px ${onBrand}` : undefined,
                      fontWeight: 600,
                    }}
                  >
                    {option}
                  </span>
                );
              })}
            </div>
            {scale && ends && (
              <p style={{ display: 'flex', justifyContent: 'space-between', gap: '1rem', margin: '.5rem 0 0', ...muted }}>
                <span>
                  {scale.min} = {fill(ends.min[language])}
                </span>
                <span style={{ textAlign: 'right' }}>
                  {scale.max} = {fill(ends.max[language])}
                </span>
              </p>
            )}
          </div>
          <div
            data-preview="button"
            style={{ textAlign: 'center', padding: '.75rem', marginTop: '1.5rem', border: `2px solid ${accent}`, borderRadius: '.75rem', background: brand, color: onBrand, fontWeight: 700 }}
          >
            {w.submit}
          </div>
        </div>
      </div>
    </div>
  );
}
