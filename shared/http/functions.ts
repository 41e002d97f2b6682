/** What the stack needs to know to build one Lambda function: its table access, its AWS rights, its description. */
export interface FunctionDeclaration {
  /**
   * What its role may do to the table: `readwrite` or `read` on every item (the actions in
   * infra/lambda-function.ts), `none`, or `survey-link`: only the partition keys and actions
   * `keyScopedAccess['survey-link']` lists (shared/data/key-scoped-access.ts), enforced by
   * dynamodb:LeadingKeys in AWS and by the local twin.
   */
  tableAccess: 'readwrite' | 'read' | 'none' | 'survey-link';
  operatorKey: boolean;
  description: string;
  /**
   * Sets or cancels one-time timers (shared/ports/scheduler.ts): the stack gives it the schedule
   * group, the role EventBridge Scheduler assumes and the right to manage the group's schedules.
   */
  schedules?: boolean;
  /**
   * Sends SMS (shared/ports/sms-sender.ts): the stack grants SendTextMessage and PutOptedOutNumber
   * on the account's SMS resources (infra/messaging.ts, allowSmsSending).
   */
  sendsSms?: boolean;
  /**
   * Uses the secret box's KMS key (shared/ports/secret-box.ts): `seal` may only create data keys
   * (kms:GenerateDataKey), `open` may only decrypt them (kms:Decrypt).
   */
  secretBox?: 'seal' | 'open';
  /**
   * Makes analytics rollups when it reads them (shared/data/analytics-repo.ts, readRolledUpRows): a
   * read-only function that may also put `T#<tenantId>#AGG#ROLLUP#…` items and nothing else.
   */
  writesAnalyticsRollups?: boolean;
  /**
   * Manages people's sign-in accounts (shared/ports/identity-directory.ts): the stack grants these
   * cognito-idp operations on the stage's user pool and nothing else, and sets PEOPLE_USER_POOL_ID
   * (the twin: COGNITO_ENDPOINT).
   */
  identityOperations?: readonly IdentityOperation[];
  /**
   * Sends mail (shared/ports/mail.ts): the stack grants ses:SendEmail from the stage's identity
   * and sets MAIL_FROM, MAIL_CONFIGURATION_SET and PUBLIC_BASE_URL (the console's address).
   */
  sendsMail?: boolean;
  /**
   * Mails from the SES identities the operator allocated to tenants (shared/ports/mail.ts
   * sendCaseMail): the stack grants ses:SendEmail on identities tagged with a tenant
   * (infra/messaging.ts, allowTenantMailSending).
   */
  sendsTenantMail?: boolean;
  /**
   * Verifies people's access tokens (functions/authorizer): the stack sets PEOPLE_TOKEN_ISSUER,
   * PEOPLE_JWKS_URI and PEOPLE_CLIENT_ID, and lets it update person items' `lastSignInAt`
   * (dynamodb:UpdateItem) beside its `read` access.
   */
  verifiesPersonTokens?: boolean;
  /** Reads the operator's sign-up approval setting (SIGNUP_REQUIRES_APPROVAL, infra/config.ts). */
  readsSignupApproval?: boolean;
  /**
   * Uses the mail bucket (shared/ports/object-store.ts, infra/inbound-mail.ts), named in MAIL_BUCKET:
   * `receive` reads the messages SES stored (`inbound/*`) and writes attachments
   * (`tenants/<tenantId>/attachments/*`), with INBOUND_MAIL_DOMAIN set; `download` may only read
   * attachments, to sign their download links; `erase` may only delete attachments and raw messages
   * (`tenants/*`, `inbound/*`), those of an erased customer.
   */
  mailBucket?: 'receive' | 'download' | 'erase';
  /**
   * Posts to the live channel's WebSocket connections (shared/ports/live-push.ts): the stack sets
   * LIVE_MANAGEMENT_ENDPOINT and grants execute-api:ManageConnections on the live API's connections.
   */
  pushesLive?: boolean;
}

/** The Cognito admin operations shared/ports/identity-directory.ts may call. */
export type IdentityOperation =
  | 'AdminCreateUser'
  | 'AdminGetUser'
  | 'AdminSetUserPassword'
  | 'AdminDisableUser'
  | 'AdminEnableUser'
  | 'AdminUserGlobalSignOut'
  | 'AdminLinkProviderForUser';

/**
 * The API's Lambda functions, declared once; their routes are declared per area in `./routes/`
 * and gathered in `./routes.ts`. Kept apart from the routes so that a function's bundle carries
 * only its own area's route schemas.
 *
 * Each value is one Lambda function, at `functions/<name>/handler.ts`; it serves every route
 * that names it. `tableAccess` is what its role is granted on the table.
 */
export const apiFunctions = {
  tenants: { tableAccess: 'readwrite', operatorKey: true, description: 'Tenant sign-up and profile; the operator routes (allocations, suspension, admin keys)' },
  'api-keys': { tableAccess: 'readwrite', operatorKey: false, description: 'API key management' },
  settings: { tableAccess: 'readwrite', operatorKey: false, description: 'Tenant settings' },
  customers: { tableAccess: 'readwrite', operatorKey: false, description: 'Customers' },
  contacts: { tableAccess: 'readwrite', operatorKey: false, description: 'Contacts and referrals' },
  // Sets the timer of a test delivery's first attempt: webhook-deliver, not the API, opens secrets and calls endpoints.
  webhooks: { tableAccess: 'readwrite', operatorKey: false, secretBox: 'seal', schedules: true, description: 'Webhook endpoints and their deliveries' },
  cases: { tableAccess: 'readwrite', operatorKey: false, description: 'Cases and their timelines' },
  // Replies go out by SMS (through sendMeteredSms) and by e-mail from the tenant's own SES identity.
  'case-replies': { tableAccess: 'readwrite', operatorKey: false, sendsSms: true, sendsTenantMail: true, description: 'Replies to customers from a case (SMS, e-mail) and canned replies' },
  'survey-templates': { tableAccess: 'readwrite', operatorKey: false, description: 'Survey templates and their versions' },
  // Sets the timer that sends an ad hoc survey: survey-send, not the API, talks to SMS.
  surveys: { tableAccess: 'readwrite', operatorKey: false, schedules: true, description: 'Surveys: ad hoc sending and reading' },
  // Public: a token lookup and the one survey behind it, never the rest of a tenant's data.
  'survey-web': { tableAccess: 'survey-link', operatorKey: false, description: 'The survey web page behind the one-time link (public HTML)' },
  analytics: { tableAccess: 'read', operatorKey: false, writesAnalyticsRollups: true, description: 'Operational metrics: summary, timeseries, heatmap' },
  'customer-overview': { tableAccess: 'read', operatorKey: false, description: 'The customer 360 overview' },
  exports: { tableAccess: 'read', operatorKey: false, description: 'CSV exports of contacts and survey responses' },
  staffing: { tableAccess: 'read', operatorKey: false, description: 'Staffing by Erlang C and Erlang A per interval of a day' },
  // Arms the tenant's daily customer-value run and the refresh route's immediate one.
  'customer-value': { tableAccess: 'readwrite', operatorKey: false, schedules: true, description: 'Customer transactions and value segments' },
  // Reads only: no function's route changes or deletes an audit entry.
  'audit-log': { tableAccess: 'read', operatorKey: false, description: "The tenant's audit log (read only)" },
  usage: { tableAccess: 'read', operatorKey: false, description: 'Usage against the plan: SMS segments and cost, API requests, contacts, surveys' },
  people: {
    tableAccess: 'readwrite',
    operatorKey: false,
    identityOperations: ['AdminCreateUser', 'AdminGetUser', 'AdminSetUserPassword', 'AdminDisableUser', 'AdminEnableUser', 'AdminUserGlobalSignOut'],
    sendsMail: true,
    description: "The tenant's people: invitations, roles, deactivation; who is calling",
  },
  // Public sign-up and the operator's approval: creates tenants, their first admin's account, and mails.
  signups: {
    tableAccess: 'readwrite',
    operatorKey: true,
    // The first admin of a verified sign-up: an account with a permanent password.
    identityOperations: ['AdminCreateUser', 'AdminGetUser', 'AdminSetUserPassword'],
    sendsMail: true,
    readsSignupApproval: true,
    description: 'Self-service sign-up and its approval by the operator',
  },
  'case-attachments': { tableAccess: 'read', operatorKey: false, mailBucket: 'download', description: "Downloads of the attachments customers' e-mail brought to cases" },
  openapi: { tableAccess: 'none', operatorKey: false, description: 'The OpenAPI document' },
} as const satisfies Record<string, FunctionDeclaration>;
export type ApiFunctionName = keyof typeof apiFunctions;

/** Functions outside the route table: the Lambda authorizer and the `$default` route (404/405). */
export const edgeFunctions = {
  authorizer: { tableAccess: 'read', operatorKey: false, verifiesPersonTokens: true, description: "Verifies tenant API keys and people's access tokens" },
  fallback: { tableAccess: 'none', operatorKey: false, description: 'Answers undeclared routes with 404 or 405' },
} as const satisfies Record<string, FunctionDeclaration>;

/**
 * The live channel's WebSocket API (infra/live-stack.ts; the twin upgrades `livePath` on its own
 * port): the `$connect` authorizer, which accepts people's access tokens only, and the function
 * that records and forgets connections (`$connect`, `$disconnect`, `$default` for keep-alives).
 */
export const liveFunctions = {
  'live-authorizer': { tableAccess: 'read', operatorKey: false, verifiesPersonTokens: true, description: "Lets a signed-in person's console open the live channel" },
  'live-connections': { tableAccess: 'readwrite', operatorKey: false, description: "Records and forgets the live channel's connections" },
} as const satisfies Record<string, FunctionDeclaration>;
export type LiveFunctionName = keyof typeof liveFunctions;

/**
 * The live channel's protocol: where the console opens it, and the WebSocket subprotocols it
 * offers. The browser cannot set headers on a WebSocket, so the access token travels as the second
 * subprotocol (`bearer.<token>`) in Sec-WebSocket-Protocol, never in the URL: query strings end up
 * in access logs and browser history. The server selects `live.protocol` alone.
 */
export const live = {
  path: '/live',
  protocol: 'switchboard-live.v1',
  tokenPrefix: 'bearer.',
} as const;

/**
 * The tenant-key Lambda authorizer as API Gateway runs it and the local twin copies it: its
 * identity source, and how long an answer is cached per identity. A revoked key can keep
 * passing for up to `cacheSeconds`.
 */
export const tenantAuthorizer = { identitySourceHeader: 'Authorization', cacheSeconds: 60 } as const;

/**
 * The edge (CloudFront with WAF, infra/edge-stack.ts) adds `header` to every request it forwards,
 * with a value drawn from Secrets Manager. In AWS the functions receive the values they accept in
 * `secretsVariable` (space-separated: the current one, and during a rotation the previous one),
 * and refuse a request without one: it reached `execute-api` around the edge. The header is also
 * part of the tenant authorizer's identity source, so API Gateway refuses a tenant request without
 * it before any function runs. The local twin has no edge and sets no values: nothing is checked.
 */
export const edgeOrigin = { header: 'x-origin-verify', secretsVariable: 'ORIGIN_VERIFY_SECRETS' } as const;
