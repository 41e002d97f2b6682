import * as z from '../zod';

/**
 * The catalog of problem types (RFC 9457): every problem+json answer names one of these by its
 * slug, and its status and title come from here. The OpenAPI document (./openapi.ts), the problem
 * pages (GET /problems/{slug}, ./problem-page.ts), docs/problems.md and the twin's check of
 * error answers (infra/local/declared-answers.ts) are generated from it.
 */
export interface ProblemTypeDeclaration {
  status: number;
  title: string;
  /** For an integrator: what happened, and what to do about it. */
  meaning: string;
  /** The extension members the problem carries beyond type, title, status, detail and instance. */
  members?: Readonly<Record<string, z.ZodMiniType>>;
  /** Answered only by the local twin (infra/local), never by a deployment. */
  localTwinOnly?: true;
}

const FieldErrorSchema = z.object({
  path: z.described(z.string(), 'JSON path of the invalid field or value, e.g. $.phone or query.to'),
  message: z.string(),
});

const fieldErrorsMember = { errors: z.described(z.array(FieldErrorSchema), 'The fields at fault, each with its JSON path and why') } as const;

export const problemTypes = {
  'bad-request': {
    status: 400,
    title: 'Bad request',
    meaning:
      'The request could not be read: a body that is not JSON, a query parameter given twice, an Idempotency-Key over 255 characters, a form field given twice, or a paging cursor that is not valid for this list. Correct the request (start a list again without its cursor) and send it again.',
    members: { errors: z.optional(fieldErrorsMember.errors) },
  },
  'validation-error': {
    status: 400,
    title: 'The request is not valid',
    meaning: 'A path parameter, query parameter or body field breaks its schema or a rule of the API. `errors` lists each invalid field with its JSON path and why; correct them and send the request again.',
    members: fieldErrorsMember,
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    meaning:
      "No valid credential: the Authorization header is missing, not `Bearer <key or access token>`, names an API key that is unknown or revoked, or carries a person's access token that is expired, not signed by the tenant sign-in service, older than the person's last sign-out everywhere, or of a person who is deactivated (operator routes: not the operator key). Send a valid key, or sign in again; a revoked key stays refused.",
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    meaning:
      "The API key or person is valid but lacks the scope the route requires (admin > supervisor > agent > readonly; a person's role gives its scopes; the detail names it), or the action is not one this caller may take. Use a key or a role with that scope. A request that reached the API around its edge (CloudFront) is refused the same way, without detail.",
  },
  'tenant-suspended': {
    status: 403,
    title: 'Tenant suspended',
    meaning: "The operator of the service has suspended the tenant: every one of its keys is refused on every tenant route until the operator resumes it. Contact the service's operator.",
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    meaning: 'No such resource in your tenant (or no such route). Ids of another tenant are not found either. Check the id; a list shows what exists.',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    meaning: 'The path exists but not with this method; the Allow header lists the methods it takes.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    meaning: 'Another request changed the same resource at the same time, so this one was not carried out. Read the resource again and retry.',
  },
  'idempotency-in-progress': {
    status: 409,
    title: 'Conflict',
    meaning: 'A request with this Idempotency-Key is still being carried out. Retry shortly with the same key: you will get its answer.',
  },
  'secret-shown-once': {
    status: 409,
    title: 'Conflict',
    meaning:
      'The first request with this Idempotency-Key succeeded, and its answer showed a secret (an API key, a webhook signing secret) that is shown once and not kept, so it cannot be replayed. If that answer was lost, revoke (or rotate) what it created and create it again.',
  },
  'replay-erased': {
    status: 409,
    title: 'Conflict',
    meaning: 'The first request with this Idempotency-Key succeeded, but its answer held personal data of a customer erased since, so it is not replayed. Read the resource if you still need it.',
  },
  'duplicate-customer': {
    status: 409,
    title: 'Conflict',
    meaning: 'Another customer of the tenant already has this phone, email or externalId (each is unique within a tenant). `existingCustomerId` names it and `field` says which value; use or update that customer instead.',
    members: {
      existingCustomerId: z.described(z.string(), 'The customer that has the value'),
      field: z.described(z.enum(['phone', 'email', 'externalId']), 'Which unique value is taken'),
    },
  },
  'customer-busy': {
    status: 409,
    title: 'Conflict',
    meaning: 'The customer kept changing while the transaction was recorded; nothing was recorded. Retry (with the same transactionId, which makes the retry safe).',
  },
  'duplicate-transaction': {
    status: 409,
    title: 'Conflict',
    meaning: 'A transaction with this transactionId was recorded before with different content. A transactionId names one transaction: send a new id for a new transaction. (The same content again answers 200 with the recorded transaction.)',
    members: { transactionId: z.described(z.string(), 'The transaction recorded before') },
  },
  'duplicate-contact': {
    status: 409,
    title: 'Conflict',
    meaning: 'Another contact of the tenant already has this externalContactId; `existingContactId` names it (and `field` the value). Update that contact instead.',
    members: {
      existingContactId: z.described(z.string(), 'The contact that has the externalContactId'),
      field: z.described(z.enum(['externalContactId']), 'Which unique value is taken'),
    },
  },
  'contact-closed': {
    status: 409,
    title: 'Conflict',
    meaning: 'The contact is closed, and a closed contact is not changed (closing it again answers it as it is).',
  },
  'contact-closed-with-other-outcome': {
    status: 409,
    title: 'Conflict',
    meaning: 'The contact is already closed with another outcome, and a closed contact keeps its outcome; `storedOutcome` names it. Closing again with the same outcome answers the contact as it is.',
    members: {
      storedOutcome: z.described(z.nullable(z.string()), 'The outcome the contact was closed with; null when it was closed without one'),
    },
  },
  'contact-not-closed': {
    status: 409,
    title: 'Conflict',
    meaning: 'Only a closed contact can be surveyed. Close the contact first, then create the survey.',
  },
  'referral-settled': {
    status: 409,
    title: 'Conflict',
    meaning: 'The referral is already converted or lost; only an open referral is converted or lost.',
  },
  'last-admin-key': {
    status: 409,
    title: 'Conflict',
    meaning: "This is the tenant's last admin key, and a tenant always keeps one. Create another admin key before revoking this one.",
  },
  'last-admin-person': {
    status: 409,
    title: 'Conflict',
    meaning:
      "This person is the tenant's last active admin, and a tenant always keeps one who can sign in: they cannot be given another role or deactivated. Invite or promote another admin first.",
  },
  'person-exists': {
    status: 409,
    title: 'Conflict',
    meaning: 'A person with this e-mail address is already in the tenant (invited, active or deactivated). Change their role, or reactivate them, instead of inviting them again.',
    members: { errors: z.optional(fieldErrorsMember.errors) },
  },
  'agent-id-taken': {
    status: 409,
    title: 'Conflict',
    meaning: 'Another person of the tenant already has this agent id; an agent id names one person. Choose another.',
    members: { errors: z.optional(fieldErrorsMember.errors) },
  },
  'mail-refused': {
    status: 422,
    title: 'The mail was refused',
    meaning:
      "Amazon SES refused to send to this address (it is on the account's suppression list after a bounce or complaint, or, while the stage's SES account is in the sandbox, it is not verified): nothing was mailed and nothing was stored. `errors` names the address: `$.email` for an invitation, `$.adminEmail` for a sign-up, `$.personId` for a resent invitation (the person whose address it is). Check the address; if it is right, the operator can take it off the suppression list, then retry.",
    members: { errors: z.optional(fieldErrorsMember.errors) },
  },
  'signup-link-invalid': {
    status: 400,
    title: 'The sign-up link is not valid',
    meaning:
      'The verification link is unknown, already used or older than 24 hours. Sign up again with the same e-mail address: a new link is mailed, and no second business is created.',
    members: { errors: z.optional(fieldErrorsMember.errors) },
  },
  'signup-decided': {
    status: 409,
    title: 'Conflict',
    meaning: 'The sign-up is not awaiting approval: it was already approved or rejected, or its e-mail address is not verified yet. List sign-ups to see its state.',
  },
  'survey-template-archived': {
    status: 409,
    title: 'Conflict',
    meaning: 'The survey template is archived and cannot be changed. Create a new template instead.',
  },
  'survey-template-in-use': {
    status: 409,
    title: 'Conflict',
    meaning: "The tenant's survey rules (settings.surveys.templateId) use this template. Point the setting at another template first, then archive this one.",
  },
  'survey-exists': {
    status: 409,
    title: 'Conflict',
    meaning: 'The contact already has a survey (a contact is surveyed once), or was surveyed while this request ran. `surveyId`, when given, names the survey.',
    members: { surveyId: z.optional(z.described(z.string(), "The contact's survey")) },
  },
  'too-many-webhooks': {
    status: 409,
    title: 'Conflict',
    meaning: 'The tenant has as many webhooks as it may have. Delete one before creating another.',
  },
  'webhook-disabled': {
    status: 409,
    title: 'Conflict',
    meaning: 'The webhook is disabled, so no event, a test included, is delivered to it. Enable it (PATCH with `enabled: true`) and send the test again.',
  },
  'illegal-transition': {
    status: 409,
    title: 'Conflict',
    meaning: 'The case cannot move from its status to the one asked. `from` and `to` name them and `allowed` lists where it can go from `from`.',
    members: {
      from: z.described(z.string(), "The case's status"),
      to: z.described(z.string(), 'The status asked for'),
      allowed: z.described(z.array(z.string()), 'The statuses the case may move to from `from`'),
    },
  },
  'case-closed': {
    status: 409,
    title: 'Conflict',
    meaning: 'The case is closed. Reopen it (a status_change to open) before changing it.',
  },
  'case-already-claimed': {
    status: 409,
    title: 'Conflict',
    meaning:
      'Another agent holds the case (they claimed it first, or it was assigned to them), so your claim changed nothing. `assignee` names who holds it. Ask them or a supervisor to reassign it; claiming a case you hold already answers 200.',
    members: { assignee: z.described(z.string(), 'The agent id of who holds the case') },
  },
  'person-required': {
    status: 403,
    title: 'Forbidden',
    meaning:
      "The route answers for a person signed in, by the agent id of their account (their own cases, claiming a case for themselves); an API key has no agent id. Call it with a person's access token, or, with a key, use the route's general form (GET /v1/cases?assignee=<agent id>, or assign with PATCH /v1/cases/{caseId}).",
  },
  'quiet-hours': {
    status: 409,
    title: 'Inside quiet hours',
    meaning:
      "An SMS to a customer is not sent inside the tenant's quiet hours (settings.surveys.quietHours, on the tenant's clock), the same as surveys. Nothing was sent or queued: `sendableAt` says when the quiet hours end; send it then, or reply by e-mail.",
    members: { sendableAt: z.described(z.string(), 'When the quiet hours end (RFC 3339)') },
  },
  'too-many-canned-replies': {
    status: 409,
    title: 'Too many canned replies',
    meaning: 'A tenant keeps at most 200 canned replies, so that the picker shows them all; nothing was added. Delete one first.',
  },
  'resource-taken': {
    status: 409,
    title: 'Conflict',
    meaning: 'The resource is allocated to another tenant (which one is not said); nothing was changed. Release it there first, or allocate another.',
    members: fieldErrorsMember,
  },
  'resource-in-use': {
    status: 409,
    title: 'Conflict',
    meaning: "The tenant's settings still use the resource, or Amazon Connect instances of the account are still registered; nothing was changed. The tenant's admin changes that setting (or the instances are released) first.",
    members: fieldErrorsMember,
  },
  'customer-erased': {
    status: 410,
    title: 'Gone',
    meaning: 'The customer was erased: its personal data is removed and only a tombstone keeps its id. `customerId` names it and `erasedAt` says when. Nothing more can be read or written for it.',
    members: {
      customerId: z.described(z.string(), 'The erased customer'),
      erasedAt: z.described(z.string(), 'When it was erased (ISO 8601)'),
    },
  },
  'precondition-failed': {
    status: 412,
    title: 'Precondition failed',
    meaning:
      'If-Match does not name the current version of the resource (it changed since you read it, or changed while this request ran), or is not an ETag like "3". Read the resource again, check your change still applies, and send it with the new ETag.',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
    meaning: 'The body is over 64 KiB (the limit is in the detail). Send less: split a batch, shorten long texts.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    meaning: 'The body is not sent as application/json (Content-Type). Send JSON with that Content-Type.',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Unprocessable request',
    meaning: 'This Idempotency-Key was used before with a different request (path or body). Use a new key for a new request; retry a request only with exactly the same body.',
  },
  'idempotency-key-other-caller': {
    status: 422,
    title: 'Unprocessable request',
    meaning: "This Idempotency-Key was used by another API key of the tenant (or before keys were bound to their caller). Use keys of your own; nothing of the other request is shown.",
  },
  'wrong-currency': {
    status: 422,
    title: 'Unprocessable request',
    meaning: 'The tenant records transactions in one currency (settings customerValue.currency) and this one is in another. Convert the amount first.',
  },
  'unknown-customer': {
    status: 422,
    title: 'Unknown customer',
    meaning: 'The customerId in the body names no customer of this tenant. Create the customer first, or correct the id.',
    members: fieldErrorsMember,
  },
  'resolved-without-answer': {
    status: 422,
    title: 'Contact never answered',
    meaning: 'A contact that was queued and never answered was abandoned, not resolved: close it as abandoned, or set answeredAt first. `errors` names outcome and answeredAt; nothing was changed.',
    members: fieldErrorsMember,
  },
  'unknown-reference': {
    status: 422,
    title: 'Unknown contact or survey',
    meaning: 'A contact or survey named in the body does not exist in this tenant; `errors` points at each.',
    members: fieldErrorsMember,
  },
  'unknown-contact': {
    status: 422,
    title: 'Unknown contact',
    meaning: 'The contactId names no contact of this tenant.',
    members: fieldErrorsMember,
  },
  'unknown-template': {
    status: 422,
    title: 'No survey template',
    meaning: 'No active survey template to survey with: the templateId names none (or an archived one), or none is named and settings.surveys.templateId is not set.',
    members: fieldErrorsMember,
  },
  'no-contact-point': {
    status: 422,
    title: 'Nobody to survey',
    meaning: "The contact has no customer (or it was erased), or the survey goes by SMS and the customer has no phone number. Nothing was sent.",
    members: fieldErrorsMember,
  },
  'no-consent': {
    status: 422,
    title: 'No SMS consent',
    meaning: "The contact's customer has not consented to SMS, so no SMS survey is sent. Record the consent on the customer first, if the customer gave it.",
    members: fieldErrorsMember,
  },
  'destination-not-allowed': {
    status: 422,
    title: 'SMS destination not allowed',
    meaning: "The customer's number is in a country not in settings.sms.allowedDestinationCountries, or on the platform's block list (satellite, international network, premium rate). Nothing was sent.",
    members: fieldErrorsMember,
  },
  'customer-unreachable': {
    status: 422,
    title: 'The customer cannot be reached this way',
    meaning:
      "A reply from a case goes to the case's customer, who has no phone number (SMS) or e-mail address (e-mail), has denied consent to that channel (or not given it, where settings.surveys.requireExplicitConsent asks for it), opted out by STOP, or was erased. Nothing was sent; `errors` names the channel. Reply by the other channel, or record the customer's consent first.",
    members: fieldErrorsMember,
  },
  'sms-not-configured': {
    status: 422,
    title: 'No SMS sender',
    meaning: "The tenant has no SMS number to send from (settings.sms.originationIdentity, one the operator allocated). Nothing was sent. An admin sets it in the settings; the operator allocates a number first.",
    members: fieldErrorsMember,
  },
  'no-mail-identity': {
    status: 422,
    title: 'No e-mail identity',
    meaning: "The operator has allocated no verified Amazon SES identity (a domain or an address) to the tenant, so no e-mail can be sent in its name. Nothing was sent. Ask the operator to allocate one (docs/operations.md, \"Allocating a mail identity\"), or reply by SMS.",
    members: fieldErrorsMember,
  },
  'invalid-survey-rules': {
    status: 422,
    title: 'Unprocessable request',
    meaning: 'The survey rules in the settings cannot use the template they name (unknown, archived, or not fit for the channel); nothing was changed. `errors` says which rule.',
    members: fieldErrorsMember,
  },
  'not-allocated': {
    status: 422,
    title: 'Unprocessable request',
    meaning:
      'The settings name an SMS sender, configuration set, opt-out list or Amazon Connect instance that the operator has not allocated to the tenant, or turn SMS surveys on without a sender; nothing was changed. Ask the operator to allocate it.',
    members: fieldErrorsMember,
  },
  'too-many-allocations': {
    status: 422,
    title: 'Unprocessable request',
    meaning: 'A tenant holds a limited number of resources of one kind, and this one would pass it; nothing was changed. Release one first.',
    members: fieldErrorsMember,
  },
  'connect-account-not-registered': {
    status: 422,
    title: 'Unprocessable request',
    meaning: "An Amazon Connect instance is allocated only once its AWS account is registered to the tenant (a connect-account allocation); nothing was changed. Register the account first.",
    members: fieldErrorsMember,
  },
  'precondition-required': {
    status: 428,
    title: 'Precondition required',
    meaning: 'This update requires If-Match with the ETag of the version you read (GET the resource: its ETag header). Send it, so that a change made meanwhile is not overwritten.',
  },
  'too-many-requests': {
    status: 429,
    title: 'Too many requests',
    meaning:
      "The tenant is over its plan's requests per minute (all its keys together), or — answered by the edge — this address sent too many requests. Wait the Retry-After seconds (the edge's answer has none: wait a few minutes) and retry.",
  },
  'refresh-too-soon': {
    status: 429,
    title: 'Too many requests',
    meaning: 'Segments are refreshed at most once a minute. Retry after the Retry-After seconds.',
  },
  'sms-quota-exceeded': {
    status: 429,
    title: 'SMS quota exceeded',
    meaning: "The survey SMS would pass the tenant's SMS limits for its plan: `limit` says which (the day's or the month's segments, or the month's spend cap). GET /v1/usage shows usage and limits; Retry-After says when the limit resets.",
    members: { limit: z.described(z.enum(['day', 'month', 'spend']), 'Which limit the SMS would pass') },
  },
  'survey-daily-cap-reached': {
    status: 429,
    title: 'Daily survey cap reached',
    meaning: "The tenant's settings allow this many surveys a day (settings.surveys.dailyCap, in the tenant's day), ad hoc ones included. Retry-After says when the day ends.",
  },
  internal: {
    status: 500,
    title: 'Internal error',
    meaning: 'Something failed on our side; it is logged. Retrying may work (with the same Idempotency-Key); if it persists, report the time and path to the service operator.',
  },
  'temporarily-unavailable': {
    status: 503,
    title: 'Service temporarily unavailable',
    meaning: 'A service Switchboard depends on is busy or briefly failing, and the request was not carried out. Retry it as it is after the Retry-After seconds, with the same Idempotency-Key.',
  },
  'undeclared-answer': {
    status: 500,
    title: 'Answer not as declared',
    meaning:
      "The local twin's check of a function's answer against its route's declaration (and so the OpenAPI document) failed: `errors` names each difference. A bug in Switchboard, found before it ships.",
    members: fieldErrorsMember,
    localTwinOnly: true,
  },
  'bad-gateway': {
    status: 502,
    title: 'Bad gateway',
    meaning: 'The local twin could not get an answer from the function (it threw, or answered nothing); the twin logged the error.',
    localTwinOnly: true,
  },
} as const satisfies Record<string, ProblemTypeDeclaration>;

export type ProblemSlug = keyof typeof problemTypes;

/** The slugs of the problem types answered with `status`. */
export type ProblemSlugOf<Status extends number> = {
  [Slug in ProblemSlug]: (typeof problemTypes)[Slug]['status'] extends Status ? Slug : never;
}[ProblemSlug];

export const problemSlugs = Object.keys(problemTypes) as ProblemSlug[];

export const isProblemSlug = (value: string): value is ProblemSlug => Object.hasOwn(problemTypes, value);

export const problemType = (slug: ProblemSlug): ProblemTypeDeclaration => problemTypes[slug];

/**
 * A problem's `type`: the absolute-path reference `/problems/<slug>`, which RFC 9457 §3.1.1
 * resolves against the request's URI, so that it names the page of the deployment (or twin) that
 * answered it (GET /problems/{slug}).
 */
export const problemTypeBase = '/problems/';
export const problemTypeUri = (slug: ProblemSlug) => `${problemTypeBase}${slug}`;

/** The members every problem has (RFC 9457 §3.1); a problem type may add its own. */
export const ProblemBase = {
  type: z.described(z.string(), 'The problem type: /problems/<slug>, whose page explains it'),
  title: z.described(z.string(), "The problem type's short summary"),
  status: z.described(z.int(), 'The HTTP status'),
  detail: z.optional(z.described(z.string(), 'What happened in this occurrence')),
  instance: z.optional(z.described(z.string(), 'The path of the request')),
} as const;

/** The whole body of a problem of this type, and nothing more: what the twin checks error answers with. */
export function problemBodySchema(slug: ProblemSlug) {
  const declaration = problemType(slug);
  return z.strictObject({
    ...ProblemBase,
    type: z.literal(problemTypeUri(slug)),
    status: z.literal(declaration.status),
    title: z.literal(declaration.title),
    ...declaration.members,
  });
}

/** One extension member of a problem type, as the pages and docs/problems.md describe it. */
export interface ProblemMember {
  name: string;
  /** JSON Schema's words for it: `string`, `array of object`, `"day" | "month"` … */
  shape: string;
  required: boolean;
  description: string;
}

export function problemMembers(slug: ProblemSlug): ProblemMember[] {
  const { members } = problemType(slug);
  if (!members) return [];
  const json = z.toJSONSchema(z.object(members), { io: 'output', unrepresentable: 'any' }) as {
    properties: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    shape: shapeOf(property),
    required: (json.required ?? []).includes(name),
    description: property.description ?? '',
  }));
}

interface JsonSchemaProperty {
  type?: string;
  enum?: unknown[];
  items?: JsonSchemaProperty;
  description?: string;
}

function shapeOf(property: JsonSchemaProperty): string {
  if (property.enum) return property.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (property.type === 'array' && property.items) return `array of ${shapeOf(property.items)}`;
  if (property.type === 'object' && 'properties' in property) return `object (${Object.keys(property.properties as object).join(', ')})`;
  return property.type ?? 'any';
}
