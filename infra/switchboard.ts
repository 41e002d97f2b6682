import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './api-stack';
import { type DeploymentSettings, stageProfile } from './config';
import { DataStack } from './data-stack';
import { EventsStack } from './events-stack';

export interface SwitchboardStacks {
  data: DataStack;
  events: EventsStack;
  api: ApiStack;
}

/**
 * Adds one stage of Switchboard to the app, with cdk-nag's AWS Solutions checks: `cdk synth`
 * fails on an unacknowledged error and reports every unacknowledged warning.
 */
export function addSwitchboard(app: App, settings: DeploymentSettings): SwitchboardStacks {
  const profile = stageProfile(settings.stage);
  const prefix = `Switchboard-${settings.stage}`;
  const tags = { project: 'switchboard', stage: settings.stage };

  const data = new DataStack(app, `${prefix}-Data`, {
    env: settings.env,
    description: `Switchboard ${settings.stage}: the DynamoDB table`,
    terminationProtection: profile.isProduction,
    tags,
    profile,
  });
  const events = new EventsStack(app, `${prefix}-Events`, {
    env: settings.env,
    description: `Switchboard ${settings.stage}: event bus, rules, consumers, outbox relay and timers`,
    tags,
    profile,
    table: data.table,
    operatorKeyHash: settings.operatorKeyHash,
    publicBaseUrl: settings.publicBaseUrl,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    env: settings.env,
    description: `Switchboard ${settings.stage}: HTTP API, authorizer and functions`,
    tags,
    profile,
    table: data.table,
    operatorKeyHash: settings.operatorKeyHash,
    events: events.events,
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { data, events, api };
}
