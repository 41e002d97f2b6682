import { Annotations, Arn, Aws, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { type MailSettings, identityDirectoryGrants, mailSendingFunctions, signupApprovalFunctions } from './config';
import { type PersonTokens, mailFromHeader } from './people-stack';

/** What the people side of the API needs from the stage: its user pool, mail, and the operator's settings. */
export interface PeopleAccessSettings {
  tokens: PersonTokens;
  mail?: MailSettings;
  publicBaseUrl?: string;
  signupRequiresApproval: boolean;
}

/** The environment of the authorizer: how to verify a person's access token (shared design, "Person tokens"). */
export function personTokenEnvironment(tokens: PersonTokens): Record<string, string> {
  return { PEOPLE_TOKEN_ISSUER: tokens.issuer, PEOPLE_JWKS_URI: tokens.jwksUri, PEOPLE_CLIENT_ID: tokens.clientId };
}

/** The Cognito admin operations `actions` on the stage's user pool and nothing else, and PEOPLE_USER_POOL_ID. */
export function allowIdentityDirectory(fn: LambdaFunction, tokens: PersonTokens, actions: readonly string[]): void {
  fn.addEnvironment('PEOPLE_USER_POOL_ID', tokens.userPoolId);
  fn.addToRolePolicy(new PolicyStatement({ actions: actions.map((action) => `cognito-idp:${action}`), resources: [tokens.userPoolArn] }));
}

/**
 * The authorizer reads the table and records when a person signed in (shared/data/people-repo.ts
 * recordSignIn): an UpdateItem of a person's `lastSignInAt` and `state` (invited → active). A person
 * item sits in its tenant's partition beside other items, so the key cannot confine the grant;
 * the attributes do: it may change no other attribute, on any item.
 */
export const signInRecordAttributes = ['pk', 'sk', 'lastSignInAt', 'state'];

function allowSignInRecording(fn: LambdaFunction, table: ITable): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:UpdateItem'],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': signInRecordAttributes },
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#*'] },
        StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
      },
    }),
  );
}

/** The ARN of a verified SES identity (a domain or an address). */
export const sesIdentityArn = (scope: Construct, mail: MailSettings) =>
  Arn.format({ service: 'ses', region: mail.region ?? Aws.REGION, account: Aws.ACCOUNT_ID, resource: 'identity', resourceName: mail.identity }, Stack.of(scope));

/**
 * SES v2 SendEmail from the stage's verified identity only (shared/ports/mail.ts): MAIL_FROM, the
 * configuration set when there is one (SendEmail is authorized on it too), and the console's
 * address for the links in the mail (CONSOLE_URL, from `-c publicBaseUrl`; PUBLIC_BASE_URL too).
 */
export function allowMailSending(fn: LambdaFunction, mail: MailSettings, publicBaseUrl: string | undefined): void {
  fn.addEnvironment('MAIL_FROM', mailFromHeader(mail));
  const resources = [sesIdentityArn(fn, mail)];
  if (mail.configurationSet) {
    fn.addEnvironment('MAIL_CONFIGURATION_SET', mail.configurationSet);
    resources.push(
      Arn.format({ service: 'ses', region: mail.region ?? Aws.REGION, account: Aws.ACCOUNT_ID, resource: 'configuration-set', resourceName: mail.configurationSet }, Stack.of(fn)),
    );
  }
  // The edge serves the console and the API on one origin: links in mail go to it (consoleLink).
  if (publicBaseUrl) {
    fn.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    fn.addEnvironment('CONSOLE_URL', publicBaseUrl);
  }
  fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources }));
}

/**
 * Applies infra/config.ts's people grants to the functions that exist: identity directory, mail,
 * the sign-up approval setting; the authorizer gets the token settings. A grant for a function no
 * one declared is reported as a synth warning, so a renamed function does not lose it unnoticed.
 */
export function grantPeopleAccess(functions: Readonly<Record<string, LambdaFunction>>, settings: PeopleAccessSettings, table: ITable, scope: Construct): void {
  const { tokens, mail, publicBaseUrl, signupRequiresApproval } = settings;
  const authorizer = functions.authorizer;
  if (!authorizer) throw new Error('No authorizer function: person tokens cannot be verified');
  for (const [name, value] of Object.entries(personTokenEnvironment(tokens))) authorizer.addEnvironment(name, value);
  allowSignInRecording(authorizer, table);

  const missing = new Set<string>();
  const each = (names: Iterable<string>, apply: (fn: LambdaFunction, name: string) => void) => {
    for (const name of names) {
      const fn = functions[name];
      if (fn) apply(fn, name);
      else missing.add(name);
    }
  };
  each(Object.keys(identityDirectoryGrants), (fn, name) => allowIdentityDirectory(fn, tokens, identityDirectoryGrants[name]!));
  each(mailSendingFunctions, (fn) => {
    if (mail) allowMailSending(fn, mail, publicBaseUrl);
  });
  each(signupApprovalFunctions, (fn) => fn.addEnvironment('SIGNUP_REQUIRES_APPROVAL', String(signupRequiresApproval)));
  for (const name of missing) {
    Annotations.of(scope).addWarningV2(
      `switchboard:people-grant-without-function:${name}`,
      `infra/config.ts grants the people side's rights (identity directory, mail, sign-up approval) to a function "${name}", but no such function is declared (shared/http/functions.ts): nothing is granted to it.`,
    );
  }
}
