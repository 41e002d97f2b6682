import { Page } from '../../schemas/common';
import { RejectSignupBody, Signup, SignupAccepted, SignupBody, SignupIdParams, SignupListQuery, SignupVerified, VerifySignupBody } from '../../schemas/signup';
import { defineRoutes } from '../route-types';

const operatorAccess = { kind: 'operator' } as const;

const signupExample = {
  signupId: 'sig_01JF9D5E6F7G8H9J0K1M2N3P4Q',
  businessName: 'Acme Florist',
  timezone: 'Asia/Taipei',
  country: 'TW',
  locale: 'zh-TW',
  adminEmail: 'owner@acme-florist.tw',
  state: 'awaiting-approval',
  createdAt: '2026-03-06T02:00:00.000Z',
  verifiedAt: '2026-03-06T02:10:00.000Z',
} as const;

const signupIdExample = { signupId: signupExample.signupId } as const;

/**
 * Self-service sign-up (public): a business asks for a trial, its first admin verifies the e-mail
 * address; and the operator's decision when the stage requires approval (operator key only).
 */
export const signupRoutes = defineRoutes([
  {
    operationId: 'startSignup',
    method: 'POST',
    path: '/v1/signups',
    function: 'signups',
    access: { kind: 'public' },
    tag: 'Sign-up',
    summary: 'Start a trial: mails a verification link to the first admin',
    request: { body: SignupBody },
    description:
      "Starts a business's trial: records the sign-up and mails the first admin, in the chosen language and English, a link to the console's verification page that is valid for 24 hours. " +
      'Always answers 202, whether or not the address is already known, so that the answer tells nobody who has signed up: ' +
      'signing up again with the same address (a retry included) mails a new link (or, once the business exists, a reminder to sign in) and never creates a second business. ' +
      'An address the mail service refuses answers 422 mail-refused; when the mail service is busy, 503: signing up again sends a new link. No credential',
    examples: {
      request: { body: { businessName: 'Acme Florist', timezone: 'Asia/Taipei', country: 'TW', locale: 'zh-TW', adminEmail: 'owner@acme-florist.tw' } },
      responses: { 202: { message: 'Check your mailbox: we sent a link to verify your e-mail address.' } },
    },
    problems: ['conflict', 'mail-refused'],
    responses: { 202: { description: 'Accepted; a mail is on its way', schema: SignupAccepted } },
  },
  {
    operationId: 'verifySignup',
    method: 'POST',
    path: '/v1/signups/verify',
    function: 'signups',
    access: { kind: 'public' },
    tag: 'Sign-up',
    summary: "Verify the admin's e-mail with the mailed token and choose a password; creates the trial tenant (or waits for approval)",
    request: { body: VerifySignupBody },
    description:
      'Takes the token from the verification link, the first admin\'s password and, optionally, a display name. Creates the trial tenant (no SMS sender until the operator allocates one) ' +
      'and its first admin, who then signs in with the e-mail address, this password and an authenticator app they set up at the first sign-in. ' +
      'When the operator requires approval, the sign-up waits instead (state awaiting-approval) and the admin is mailed once it is approved. ' +
      'An unknown, used or expired token answers 400 signup-link-invalid; an address that already has a Switchboard account (a person of another business), 409 person-exists. No credential',
    examples: {
      request: { body: { token: 'q3J8vYtB0wZ4pN6mR1sK9dF2hL5cX7gA0eU3iO8yT1w', password: 'Correct-Horse-42', displayName: 'Ms Chen' } },
      responses: { 200: { state: 'completed', tenantId: 'ten_01JF9D6F7G8H9J0K1M2N3P4Q5R', signInUrl: 'https://console.switchboard.example/' } },
    },
    problems: ['signup-link-invalid', 'person-exists'],
    responses: { 200: { description: 'Verified', schema: SignupVerified } },
  },
  {
    operationId: 'listSignups',
    method: 'GET',
    path: '/v1/operator/signups',
    function: 'signups',
    access: operatorAccess,
    tag: 'Operator',
    summary: 'Sign-ups in one state, oldest first (operator only)',
    request: { query: SignupListQuery },
    description:
      'The sign-ups in `state` (default awaiting-approval), oldest first. Paged by `limit` (1–100, default 25) and `cursor`. Operator key only',
    examples: { request: { query: { state: 'awaiting-approval' } }, responses: { 200: { items: [signupExample] } } },
    responses: { 200: { description: 'A page of sign-ups', schema: Page(Signup) } },
  },
  {
    operationId: 'approveSignup',
    method: 'POST',
    path: '/v1/operator/signups/{signupId}/approve',
    function: 'signups',
    access: operatorAccess,
    tag: 'Operator',
    summary: 'Approve a sign-up awaiting approval: creates its trial tenant and mails the admin (operator only)',
    request: { params: SignupIdParams },
    description:
      'Creates the trial tenant and its first admin and mails the admin that they can sign in. A sign-up that is not awaiting approval answers 409 signup-decided ' +
      '(approving an approved sign-up again answers it as it is). Operator key only',
    examples: { request: { params: signupIdExample }, responses: { 200: { ...signupExample, state: 'completed', decidedAt: '2026-03-06T03:00:00.000Z', tenantId: 'ten_01JF9D6F7G8H9J0K1M2N3P4Q5R' } } },
    problems: ['signup-decided'],
    responses: { 200: { description: 'The approved sign-up', schema: Signup } },
  },
  {
    operationId: 'rejectSignup',
    method: 'POST',
    path: '/v1/operator/signups/{signupId}/reject',
    function: 'signups',
    access: operatorAccess,
    tag: 'Operator',
    summary: 'Reject a sign-up awaiting approval, with a reason (operator only)',
    request: { params: SignupIdParams, body: RejectSignupBody },
    description:
      'Rejects the sign-up: no tenant is created. The reason is kept for the operator, not mailed. A sign-up that is not awaiting approval answers 409 signup-decided. Operator key only',
    examples: {
      request: { params: signupIdExample, body: { reason: 'Duplicate of an existing customer account' } },
      responses: { 200: { ...signupExample, state: 'rejected', decidedAt: '2026-03-06T03:00:00.000Z', rejectionReason: 'Duplicate of an existing customer account' } },
    },
    problems: ['signup-decided'],
    responses: { 200: { description: 'The rejected sign-up', schema: Signup } },
  },
]);
