import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useApi } from '../../api/api-context';
import { answer } from '../../api/client';
import { ProblemAlert, fieldError } from '../../components/problem';
import { type Locale, useLocale, useMessages } from '../../i18n/locale';
import { signupMessages } from './messages';
import { PublicLayout } from './public-layout';

/** ISO 3166-1 alpha-2 codes; names come from the browser (Intl.DisplayNames) in the page's language. */
const countryCodes = (
  'AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ ' +
  'DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP ' +
  'KE KG KH KI KM KN KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MO MR MT MU MV MW MX MY MZ NA NE NG NI NL ' +
  'NO NP NR NZ OM PA PE PG PH PK PL PS PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM ' +
  'TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VN VU WS YE ZA ZM ZW'
).split(' ');

function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export default function SignupStartPage() {
  const t = useMessages(signupMessages);
  const { locale: pageLocale } = useLocale();
  const api = useApi();
  const [businessName, setBusinessName] = useState('');
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [country, setCountry] = useState(pageLocale === 'zh-TW' ? 'TW' : '');
  const [locale, setLocale] = useState<Locale>(pageLocale);
  const [adminEmail, setAdminEmail] = useState('');

  const timezones = useMemo(() => Intl.supportedValuesOf('timeZone').map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') })), []);
  const countries = useMemo(() => {
    const names = new Intl.DisplayNames([pageLocale], { type: 'region' });
    return countryCodes
      .map((code) => ({ value: code, label: `${names.of(code) ?? code} (${code})` }))
      .sort((a, b) => a.label.localeCompare(b.label, pageLocale));
  }, [pageLocale]);

  const start = useMutation({
    mutationFn: () =>
      answer(api.POST('/v1/signups', { body: { businessName, timezone, country, locale, adminEmail } })),
  });

  if (start.isSuccess) {
    return (
      <PublicLayout title={t('sentTitle')} languageLabel={t('language')}>
        <Alert type="success">{t('sentText', { email: adminEmail.trim().toLowerCase() })}</Alert>
      </PublicLayout>
    );
  }
  return (
    <PublicLayout title={t('title')} description={t('intro')} languageLabel={t('language')}>
      <form onSubmit={(event) => { event.preventDefault(); start.mutate(); }}>
        <Form
          actions={<Button variant="primary" loading={start.isPending}>{t('submit')}</Button>}
          errorText={start.error ? <ProblemAlert error={start.error} /> : undefined}
          secondaryActions={
            <Box variant="small">
              {t('haveAccount')} <Link href="/">{t('signIn')}</Link>
            </Box>
          }
        >
          <SpaceBetween size="m">
            <FormField label={t('businessName')} errorText={fieldError(start.error, '$.businessName')}>
              <Input value={businessName} onChange={(event) => setBusinessName(event.detail.value)} autoFocus />
            </FormField>
            <FormField label={t('adminEmail')} description={t('adminEmailHint')} errorText={fieldError(start.error, '$.adminEmail')}>
              <Input type="email" value={adminEmail} onChange={(event) => setAdminEmail(event.detail.value)} />
            </FormField>
            <FormField label={t('timezone')} description={t('timezoneHint')} errorText={fieldError(start.error, '$.timezone')}>
              <Select
                filteringType="auto"
                selectedOption={timezones.find((option) => option.value === timezone) ?? null}
                onChange={(event) => setTimezone(event.detail.selectedOption.value ?? '')}
                options={timezones}
                placeholder={t('choose')}
                empty={t('noMatch')}
              />
            </FormField>
            <FormField label={t('country')} description={t('countryHint')} errorText={fieldError(start.error, '$.country')}>
              <Select
                filteringType="auto"
                selectedOption={countries.find((option) => option.value === country) ?? null}
                onChange={(event) => setCountry(event.detail.selectedOption.value ?? '')}
                options={countries}
                placeholder={t('choose')}
                empty={t('noMatch')}
              />
            </FormField>
            <FormField label={t('locale')} description={t('localeHint')} errorText={fieldError(start.error, '$.locale')}>
              <Select
                selectedOption={{ value: locale, label: locale === 'en' ? 'English' : '繁體中文' }}
                onChange={(event) => setLocale(event.detail.selectedOption.value as Locale)}
                options={[
                  { value: 'zh-TW', label: '繁體中文' },
                  { value: 'en', label: 'English' },
                ]}
              />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </PublicLayout>
  );
}
