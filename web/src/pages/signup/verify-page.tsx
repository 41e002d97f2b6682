import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { answer } from '../../api/client';
import { ProblemAlert, fieldError } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { passwordPolicy } from '../../../../shared/domain/password-policy';
import { signupMessages } from './messages';
import { PublicLayout } from './public-layout';

export default function SignupVerifyPage() {
  const t = useMessages(signupMessages);
  const api = useApi();
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const verify = useMutation({
    mutationFn: () => answer(api.POST('/v1/signups/verify', { body: { token, password, ...(displayName.trim() && { displayName }) } })),
  });

  if (!token) {
    return (
      <PublicLayout title={t('verifyTitle')} languageLabel={t('language')}>
        <Alert type="warning" action={<Button href="/signup">{t('startOver')}</Button>}>{t('missingToken')}</Alert>
      </PublicLayout>
    );
  }
  if (verify.data) {
    const completed = verify.data.state === 'completed';
    return (
      <PublicLayout title={t(completed ? 'completedTitle' : 'awaitingTitle')} languageLabel={t('language')}>
        <Alert type={completed ? 'success' : 'info'} action={completed ? <Button variant="primary" href="/">{t('signIn')}</Button> : undefined}>
          {t(completed ? 'completedText' : 'awaitingText')}
        </Alert>
      </PublicLayout>
    );
  }
  const tokenError = fieldError(verify.error, '$.token');
  return (
    <PublicLayout title={t('verifyTitle')} description={t('verifyIntro')} languageLabel={t('language')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setMismatch(password !== confirm);
          if (password === confirm) verify.mutate();
        }}
      >
        <Form
          actions={<Button variant="primary" loading={verify.isPending}>{t('verify')}</Button>}
          errorText={verify.error ? <ProblemAlert error={verify.error} /> : undefined}
        >
          <SpaceBetween size="m">
            {tokenError && <Alert type="error">{tokenError}</Alert>}
            <FormField label={t('displayName')} errorText={fieldError(verify.error, '$.displayName')}>
              <Input value={displayName} onChange={(event) => setDisplayName(event.detail.value)} autoComplete="name" autoFocus />
            </FormField>
            <FormField label={t('password')} description={t('passwordHint', { minLength: passwordPolicy.minLength })} errorText={fieldError(verify.error, '$.password')}>
              <Input type="password" value={password} onChange={(event) => setPassword(event.detail.value)} autoComplete="new-password" />
            </FormField>
            <FormField label={t('confirm')} errorText={mismatch ? t('mismatch') : undefined}>
              <Input type="password" value={confirm} onChange={(event) => setConfirm(event.detail.value)} autoComplete="new-password" />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </PublicLayout>
  );
}
