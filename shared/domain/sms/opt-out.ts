import { customerOptedOut } from '../../events/customer-events';
import { newEvent } from '../../events/events';
import type { Customer } from '../../schemas/customer';
import type { Change } from '../change';

/** How a customer's SMS consent was withdrawn, as recorded on the consent and in Customer Opted Out. */
export type SmsOptOutSource = 'sms-keyword' | 'sms-opt-out-list';

/** The customer with SMS consent denied; undefined when it already is (nothing to change, no event). */
export function withSmsOptOut(customer: Customer, source: SmsOptOutSource, at: string): Customer | undefined {
  if (customer.consent.sms.status === 'denied') return undefined;
  return {
    ...customer,
    consent: { ...customer.consent, sms: { status: 'denied', source, at } },
    version: customer.version + 1,
    updatedAt: at,
  };
}

/** withSmsOptOut with its Customer Opted Out; undefined when consent is already denied. */
export function smsOptOutChange(tenantId: string, customer: Customer, source: SmsOptOutSource, at: string): Change<Customer> | undefined {
  const next = withSmsOptOut(customer, source, at);
  if (!next) return undefined;
  return { next, events: [newEvent(customerOptedOut, tenantId, { customerId: customer.customerId, channel: 'sms', source, at }, at)] };
}

/** The language a customer reads: their own, else the tenant's. */
export const customerLanguage = (customer: Pick<Customer, 'language'> | undefined, tenantLocale: 'en' | 'zh-TW'): 'en' | 'zh-TW' =>
  customer?.language ?? tenantLocale;
