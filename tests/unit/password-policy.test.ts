import { describe, expect, it } from 'vitest';
import { brokenPasswordRules, passwordPolicy } from '../../shared/domain/password-policy';
import { VerifySignupBody } from '../../shared/schemas/signup';
import { cognitoOperation, localUserPoolId, CognitoApiError } from '../../infra/local/oidc/cognito-api';
import { IdentityStore } from '../../infra/local/oidc/user-store';

const samples = ['Correct-Horse-42', 'NoSymbolNeeded7', 'Short-Pas-9', 'alllowercase12', 'ALLUPPERCASE12', 'NoDigitsAtAllHere', 'Twelve-Chars1', 'Ünïcödé-Pass-7x'];
const token = 'a'.repeat(43);

describe("the people's password policy", () => {
  it('is 12+ characters with a lower-case and an upper-case letter and a digit', () => {
    expect(passwordPolicy).toMatchObject({ minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: false });
    expect(brokenPasswordRules('NoDigitsAtAllHere')).toEqual(['digit']);
    expect(brokenPasswordRules('Short-Pas-9')).toEqual(['length']);
  });

  it('is what the sign-up schema and the local Cognito emulation accept, password for password', () => {
    for (const password of samples) {
      const meets = brokenPasswordRules(password).length === 0;
      expect(VerifySignupBody.safeParse({ token, password }).success, password).toBe(meets);
      const store = new IdentityStore();
      let accepted = true;
      try {
        cognitoOperation(store, 'AdminCreateUser', { UserPoolId: localUserPoolId, Username: 'a@example.com', MessageAction: 'SUPPRESS', TemporaryPassword: password });
      } catch (error) {
        if (!(error instanceof CognitoApiError) || error.type !== 'InvalidPasswordException') throw error;
        accepted = false;
      }
      expect(accepted, password).toBe(meets);
    }
  });
});
