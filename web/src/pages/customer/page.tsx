import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context';
import { answer } from '../../api/client';
import { useRouter } from '../../app/router';
import { ProblemAlert } from '../../components/problem';
import { ContactControlPanelToggle } from '../../connect/contact-control-panel';
import { useMessages } from '../../i18n/locale';
import { CreateCustomerForm } from './create-customer';
import { customerMessages } from './messages';

/**
 * The screen pop, `/desk/pop?phone=<any format>` or `/desk/pop?contactId=<con_…>`: any softphone can
 * open it. A known caller opens the customer at a glance (the contact kept for its wrap-up); an
 * unknown number offers to create the customer, prefilled.
 */
export default function ScreenPopPage() {
  const { query } = useRouter();
  const phone = query.get('phone')?.trim() || undefined;
  const contactId = query.get('contactId')?.trim() || undefined;
  const t = useMessages(customerMessages);
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description={t('popDescription')}>
        {t('popTitle')}
      </Header>
      <ContactControlPanelToggle />
      {contactId ? <PopContact contactId={contactId} phone={phone} /> : phone ? <PopPhone phone={phone} /> : <PopForm />}
    </SpaceBetween>
  );
}

/** A contact Connect logged may carry no number of its own: then the caller's number in the URL finds the customer. */
function PopContact({ contactId, phone }: { contactId: string; phone?: string }) {
  const t = useMessages(customerMessages);
  const api = useApi();
  const { navigate } = useRouter();
  const contact = useQuery({
    queryKey: ['contact', contactId],
    queryFn: () => answer(api.GET('/v1/contacts/{contactId}', { params: { path: { contactId } } })),
  });
  const customerId = contact.data?.customerId;
  useEffect(() => {
    if (customerId) navigate(`/desk/customers/${customerId}?contactId=${encodeURIComponent(contactId)}`, { replace: true });
  }, [customerId, contactId, navigate]);
  if (contact.isPending || customerId) return <StatusIndicator type="loading">{t('popLooking')}</StatusIndicator>;
  if (contact.error) return <ProblemAlert error={contact.error} />;
  const callerPhone = contact.data.phone ?? phone;
  return callerPhone ? (
    <PopPhone phone={callerPhone} contactId={contactId} />
  ) : (
    <Unknown message={t('popNoCustomer')} contactId={contactId} />
  );
}

function PopPhone({ phone, contactId }: { phone: string; contactId?: string }) {
  const t = useMessages(customerMessages);
  const api = useApi();
  const { navigate } = useRouter();
  const found = useQuery({
    queryKey: ['customer-by-phone', phone],
    queryFn: () => answer(api.GET('/v1/customers', { params: { query: { phone, limit: 1 } } })),
  });
  const customerId = found.data?.items[0]?.customerId;
  useEffect(() => {
    if (customerId) navigate(`/desk/customers/${customerId}${contactId ? `?contactId=${encodeURIComponent(contactId)}` : ''}`, { replace: true });
  }, [customerId, contactId, navigate]);
  if (found.isPending || customerId) return <StatusIndicator type="loading">{t('popLooking')}</StatusIndicator>;
  if (found.error) return <ProblemAlert error={found.error} />;
  return <Unknown message={t('popUnknown', { phone })} phone={phone} contactId={contactId} />;
}

function Unknown({ message, phone, contactId }: { message: string; phone?: string; contactId?: string }) {
  const t = useMessages(customerMessages);
  const { navigate } = useRouter();
  return (
    <SpaceBetween size="l">
      <Alert
        type="info"
        action={
          <Button onClick={() => navigate(`/desk/contacts/new${contactId ? `?contactId=${encodeURIComponent(contactId)}` : ''}`)}>{t('popLogWithout')}</Button>
        }
      >
        {message}
      </Alert>
      <CreateCustomerForm initial={{ phone }} />
    </SpaceBetween>
  );
}

function PopForm() {
  const t = useMessages(customerMessages);
  const { navigate } = useRouter();
  const [phone, setPhone] = useState('');
  const [contactId, setContactId] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (contactId.trim()) navigate(`/desk/pop?contactId=${encodeURIComponent(contactId.trim())}`);
        else if (phone.trim()) navigate(`/desk/pop?phone=${encodeURIComponent(phone.trim())}`);
      }}
    >
      <Form actions={<Button variant="primary">{t('popOpen')}</Button>}>
        <Container>
          <SpaceBetween size="m">
            <FormField label={t('popPhone')}>
              <Input value={phone} inputMode="tel" onChange={(event) => setPhone(event.detail.value)} />
            </FormField>
            <FormField label={t('popContactId')}>
              <Input value={contactId} onChange={(event) => setContactId(event.detail.value)} />
            </FormField>
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}
