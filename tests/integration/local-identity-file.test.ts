import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin } from '../../infra/local/twin';
import { cognitoClient, signInPerson } from '../support/people-sign-in';
import { ensureTestTable, testDatabase, testOperatorKey } from '../support/twin';

/**
 * `npm start -- --data DIR` keeps the people's accounts in DIR/identity.json: a twin started again
 * on the same file knows them, with their TOTP enrolment, and they sign in with their password.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'twin-identity-'));
  await ensureTestTable();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function twinOnFile() {
  const { endpoint, tableName } = testDatabase();
  return startTwin({ port: 0, dynamoEndpoint: endpoint, tableName, operatorKey: testOperatorKey, identityFile: join(dir, 'identity.json'), events: { withoutStream: true } });
}

describe('the user pool kept in a file', () => {
  it('survives a restart of the twin', async () => {
    const first = await twinOnFile();
    let signedIn;
    try {
      signedIn = await signInPerson(first, 'kept@example.com');
    } finally {
      await first.close();
    }

    const second = await twinOnFile();
    try {
      const cognito = cognitoClient();
      try {
        const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.PEOPLE_USER_POOL_ID, Username: 'kept@example.com' }));
        expect(user).toMatchObject({ Username: signedIn.sub, UserStatus: 'CONFIRMED', PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' });
      } finally {
        cognito.destroy();
      }
      expect(second.identity.totpSecretOf('kept@example.com')).toBe(signedIn.totpSecret);
      // A new browser: the password and a TOTP code from the kept secret, no enrolment.
      const again = await signInPerson(second, 'kept@example.com', { newBrowser: true });
      expect(again.sub).toBe(signedIn.sub);
    } finally {
      await second.close();
    }
  }, 60_000);
});
