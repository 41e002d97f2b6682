import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readDeploymentSettings, stageProfile } from '../../infra/config';
import { buildApp, exampleOperatorKeyHash, synthTimeout } from './synth';

const settingsFor = (context: Record<string, string>, processEnv: NodeJS.ProcessEnv = {}) =>
  readDeploymentSettings(new App({ context }), processEnv);

describe('deployment settings', () => {
  it('defaults to the dev stage, environment-agnostic', () => {
    expect(settingsFor({})).toEqual({
      stage: 'dev',
      operatorKeyHash: undefined,
      publicBaseUrl: undefined,
      env: undefined,
      signupRequiresApproval: false,
      identityProviders: [],
    });
  });

  it('takes the public base URL for survey links as https://, without a trailing slash', () => {
    expect(settingsFor({ publicBaseUrl: 'https://api.example.com/' }).publicBaseUrl).toBe('https://api.example.com');
    expect(settingsFor({ publicBaseUrl: 'https://example.com/switchboard' }).publicBaseUrl).toBe('https://example.com/switchboard');
    for (const publicBaseUrl of ['http://api.example.com', 'api.example.com', 'https://api.example.com/?a=1']) {
      expect(() => settingsFor({ publicBaseUrl }), publicBaseUrl).toThrow(/publicBaseUrl/);
    }
  });

  it('pins account and region only when the CLI knows the account', () => {
    expect(settingsFor({}, { CDK_DEFAULT_REGION: 'eu-west-1' }).env).toBeUndefined();
    expect(settingsFor({}, { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' }).env).toEqual({
      account: '123456789012',
      region: 'eu-west-1',
    });
  });

  it('refuses a stage name that cannot be part of resource names', () => {
    for (const stage of ['Prod', 'my stage', '1dev', 'a'.repeat(21)]) {
      expect(() => settingsFor({ stage }), stage).toThrow(/stage/);
    }
  });

  it('takes the operator key hash as 64 hex digits, and refuses the key itself', () => {
    expect(settingsFor({ operatorKeyHash: exampleOperatorKeyHash.toUpperCase() }).operatorKeyHash).toBe(exampleOperatorKeyHash);
    expect(() => settingsFor({ operatorKeyHash: 'my-operator-key' })).toThrow(/SHA-256/);
  });

  it('takes the functions\' log level (WARN unless told), and refuses one Powertools does not know', () => {
    expect(settingsFor({}).logLevel).toBeUndefined();
    expect(stageProfile('dev').logLevel).toBe('WARN');
    expect(settingsFor({ logLevel: 'info' }).logLevel).toBe('INFO');
    expect(stageProfile('dev', 'INFO').logLevel).toBe('INFO');
    expect(() => settingsFor({ logLevel: 'verbose' })).toThrow(/logLevel/);
  });

  it(
    'names the stacks Switchboard-<stage>-Data, -Events and -Api',
    () => {
      const { data, events, api } = buildApp({ stage: 'staging' }, { bundle: false });
      expect([data.stackName, events.stackName, api.stackName]).toEqual([
        'Switchboard-staging-Data',
        'Switchboard-staging-Events',
        'Switchboard-staging-Api',
      ]);
    },
    synthTimeout,
  );
});
