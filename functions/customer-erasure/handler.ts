import type { Context } from 'aws-lambda';
import { customerCaseIdsPage, getCase, scrubErasedCustomerCase } from '../../shared/data/cases-repo';
import { customerContactIdsPage, scrubErasedCustomerContact } from '../../shared/data/contacts-repo';
import { getCustomer } from '../../shared/data/customers-repo';
import { eraseCustomerReplays } from '../../shared/data/idempotency-store';
import { type CaseMailObjectKind, caseMailObjectsPage, deleteCaseMailObject } from '../../shared/data/inbound-mail-repo';
import { scrubCustomerUnmatchedReplies } from '../../shared/data/sms-messages-repo';
import { StaleSurveyInputs, getContactSurveyId, getSurvey, saveSurveyChange } from '../../shared/data/surveys-repo';
import { erasedText, scrubSurvey } from '../../shared/domain/erasure';
import { surveyRef } from '../../shared/domain/surveys/survey';
import { newEvent } from '../../shared/events/events';
import { surveyExpired } from '../../shared/events/survey-events';
import { UnconsumableEvent, createEventConsumer } from '../../shared/events/consumer';
import { customerErased } from '../../shared/events/customer-events';
import { logger } from '../../shared/observability';
import { deleteObject } from '../../shared/ports/object-store';

/**
 * Time left at which a run stops taking more records: one record (a contact with its referrals,
 * or a case with its timeline) takes a few requests, far below this.
 */
const stopMarginMs = 8_000;

/** The run stopped before the end; the throw makes EventBridge deliver the event again, and that run continues. */
export class ErasureUnfinished extends Error {
  constructor(readonly scrubbed: number) {
    super(`Stopped before the Lambda timeout after ${scrubbed} writes; the retry continues`);
    this.name = 'ErasureUnfinished';
  }
}

type Budget = Pick<Context, 'getRemainingTimeInMillis'>;

/**
 * Scrubs the personal data an erased customer's contacts (their notes, phone and referral notes),
 * their surveys (free-text answers; a link still open is expired), cases (subject, description,
 * remedy, timeline text) and unmatched SMS replies (body, sender) still hold, in place; deletes
 * the files their e-mail brought to their cases (attachments, and the raw messages SES stored)
 * with the items that name them; and drops the bodies of the Idempotency-Key replays that named
 * the customer.
 *
 * Every write is conditional and scrubbing a scrubbed record writes nothing, so a redelivered
 * event changes nothing more and no processed marker is needed. A file is deleted before its item,
 * so a run stopped between the two finds the item again and deletes the (already gone) file once
 * more. The run walks all the customer's contacts and cases; when the Lambda's time runs low it
 * throws, and EventBridge's retry (8 attempts within an hour) walks them again, reading past what
 * is already scrubbed and going on from there. A customer with so many records that even the retries cannot finish (well beyond
 * tens of thousands) ends in the dead-letter queue, whose alarm fires; redriving continues.
 */
export async function eraseCustomerData(tenantId: string, customerId: string, erasedAt: string, budget: Budget): Promise<number> {
  const stored = await getCustomer(tenantId, customerId);
  if (!stored) {
    logger.warn('Erasure event for a customer that does not exist; nothing to scrub');
    return 0;
  }
  // The event is only ever written with the tombstone; an active customer means it was not ours to act on.
  if (stored.state !== 'erased') throw new UnconsumableEvent('The customer of a Customer Erased event is not erased');

  let written = 0;
  const checkTime = () => {
    if (budget.getRemainingTimeInMillis() < stopMarginMs) throw new ErasureUnfinished(written);
  };

  let contactsKey: Record<string, string> | undefined;
  do {
    const page = await customerContactIdsPage(tenantId, customerId, contactsKey);
    for (const contactId of page.contactIds) {
      checkTime();
      written += await scrubErasedCustomerContact(tenantId, contactId, customerId, erasedAt);
      written += await scrubContactSurvey(tenantId, contactId, customerId, erasedAt);
    }
    contactsKey = page.lastKey;
  } while (contactsKey);

  let casesKey: Record<string, unknown> | undefined;
  do {
    const page = await customerCaseIdsPage(tenantId, customerId, casesKey);
    for (const caseId of page.caseIds) {
      checkTime();
      written += await scrubErasedCustomerCase(tenantId, caseId, customerId, erasedAt);
      written += await deleteCaseMailFiles(tenantId, caseId, customerId, checkTime);
    }
    casesKey = page.lastKey;
  } while (casesKey);

  checkTime();
  written += await scrubCustomerUnmatchedReplies(tenantId, customerId, erasedText);
  written += await eraseCustomerReplays(tenantId, customerId);
  return written;
}

/**
 * Deletes, if the case is the customer's, the attachments their e-mail brought to it and the raw
 * messages those came in: each object from the mail bucket (one already gone is fine), then its
 * `ATT#` or `MAIL#` item. Answers how many items it deleted, and logs it by kind.
 */
async function deleteCaseMailFiles(tenantId: string, caseId: string, customerId: string, checkTime: () => void): Promise<number> {
  const stored = await getCase(tenantId, caseId);
  if (stored?.case.customerId !== customerId) return 0;
  const bucket = process.env.MAIL_BUCKET;
  if (!bucket) throw new Error('MAIL_BUCKET is not set');
  const deleted: Record<CaseMailObjectKind, number> = { attachment: 0, message: 0 };
  for (const kind of ['attachment', 'message'] as const) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await caseMailObjectsPage(tenantId, caseId, kind, startKey);
      for (const object of page.objects) {
        checkTime();
        await deleteObject(bucket, object.objectKey);
        await deleteCaseMailObject(tenantId, caseId, object);
        deleted[kind]++;
      }
      startKey = page.lastKey;
    } while (startKey);
  }
  if (deleted.attachment + deleted.message > 0) {
    logger.info("Deleted the mail files of the erased customer's case", { caseId, attachmentsDeleted: deleted.attachment, rawMessagesDeleted: deleted.message });
  }
  return deleted.attachment + deleted.message;
}

/** The contact's survey, if it has one of this customer: scrubbed and, if its link is open, expired (with its Survey Expired event). */
async function scrubContactSurvey(tenantId: string, contactId: string, customerId: string, erasedAt: string): Promise<number> {
  const surveyId = await getContactSurveyId(tenantId, contactId);
  const survey = surveyId ? await getSurvey(tenantId, surveyId) : undefined;
  if (!survey || survey.customerId !== customerId) return 0;
  const scrubbed = scrubSurvey(survey, erasedAt);
  if (!scrubbed) return 0;
  const expired = scrubbed.status === 'expired' && survey.status !== 'expired';
  const events = expired ? [newEvent(surveyExpired, tenantId, { ...surveyRef(scrubbed), expiredAt: erasedAt }, erasedAt)] : [];
  try {
    await saveSurveyChange(tenantId, { before: survey, after: scrubbed, events });
  } catch (error) {
    // Answered or expired meanwhile: the redelivery (thrown) reads it again and scrubs what it then holds.
    if (error instanceof StaleSurveyInputs) throw new ErasureUnfinished(0);
    throw error;
  }
  return 1;
}

export const handler = createEventConsumer('customer-erasure', [customerErased], async ({ detail }, context) => {
  const { customerId, erasedAt } = detail.data;
  logger.appendKeys({ customerId });
  const written = await eraseCustomerData(detail.tenantId, customerId, erasedAt, context);
  logger.info('Scrubbed the erased customer contacts and cases, and deleted their mail files', { itemsWritten: written });
});
