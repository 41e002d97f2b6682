import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { ApiProblem, answer } from '../../api/client';
import { useFollow, useRouter } from '../../app/router';
import { ProblemAlert, fieldError } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { customerMessages } from './messages';

interface Initial {
  displayName?: string;
  phone?: string;
  email?: string;
}

/** A new customer, prefilled from what is known (the calling number, the search text); opens it once created. */
export function CreateCustomerForm({ initial, onCancel }: { initial: Initial; onCancel?: () => void }) {
  const t = useMessages(customerMessages);
  const api = useApi();
  const follow = useFollow();
  const { navigate } = useRouter();
  const [displayName, setDisplayName] = useState(initial.displayName ?? '');
  const [phone, setPhone] = useState(initial.phone ?? '');
  const [email, setEmail] = useState(initial.email ?? '');

  const create = useMutation({
    mutationFn: () =>
      answer(
        api.POST('/v1/customers', {
          body: { ...(displayName.trim() && { displayName: displayName.trim() }), ...(phone.trim() && { phone: phone.trim() }), ...(email.trim() && { email: email.trim() }) },
        }),
      ),
    onSuccess: (customer) => navigate(`/desk/customers/${customer.customerId}`),
  });
  const duplicate = create.error instanceof ApiProblem && create.error.slug === 'duplicate-customer'
    ? (create.error.problem as { existingCustomerId?: string }).existingCustomerId
    : undefined;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate();
      }}
    >
      <Form
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            {onCancel && <Button formAction="none" onClick={onCancel}>{t('cancel')}</Button>}
            <Button variant="primary" loading={create.isPending}>{t('createCustomer')}</Button>
          </SpaceBetween>
        }
        errorText={create.error ? <ProblemAlert error={create.error} /> : undefined}
      >
        <Container header={<Header variant="h2" description={t('createHint')}>{t('newCustomer')}</Header>}>
          <SpaceBetween size="m">
            {duplicate && (
              <Link href={`/desk/customers/${duplicate}`} onFollow={follow}>
                {t('openExisting')}
              </Link>
            )}
            <FormField label={t('displayName')} errorText={fieldError(create.error, '$.displayName')}>
              <Input value={displayName} onChange={(event) => setDisplayName(event.detail.value)} />
            </FormField>
            <FormField label={t('phone')} errorText={fieldError(create.error, '$.phone')}>
              <Input value={phone} inputMode="tel" onChange={(event) => setPhone(event.detail.value)} />
            </FormField>
            <FormField label={t('email')} errorText={fieldError(create.error, '$.email')}>
              <Input value={email} type="email" onChange={(event) => setEmail(event.detail.value)} />
            </FormField>
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}
