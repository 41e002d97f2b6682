import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type DeploymentSettings, readDeploymentSettings, repositoryRoot } from '../../infra/config';
import { type SwitchboardStacks, addSwitchboard } from '../../infra/switchboard';

/** Bundling every function (some forty) with esbuild takes a minute on two busy cores. */
export const synthTimeout = 300_000;

/** A SHA-256 hex, as `-c operatorKeyHash=...` would pass it. */
export const exampleOperatorKeyHash = 'a'.repeat(64);

export interface BuildOptions {
  /** False skips esbuild (the templates are the same but for asset hashes): for tests that read no code. */
  bundle?: boolean;
  /** Settings that have no context key (the identity providers of infra/config.ts), over those read from the context. */
  settings?: Partial<DeploymentSettings>;
}

/** Same feature flags as `cdk synth` (cdk.json's context), and the same settings parsing as infra/app.ts. */
export function buildApp(context: Record<string, string>, { bundle = true, settings }: BuildOptions = {}): SwitchboardStacks & { app: App } {
  const cdkJson = JSON.parse(readFileSync(path.join(repositoryRoot, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const skipBundling = bundle ? {} : { 'aws:cdk:bundling-stacks': [] };
  const app = new App({ context: { ...cdkJson.context, ...skipBundling, ...context } });
  // No CDK_DEFAULT_ACCOUNT: environment-agnostic, whatever the machine's AWS configuration.
  return { app, ...addSwitchboard(app, { ...readDeploymentSettings(app, {}), ...settings }) };
}

export function synthesize(context: Record<string, string>, options?: BuildOptions) {
  const built = buildApp(context, options);
  return {
    ...built,
    dataTemplate: Template.fromStack(built.data),
    eventsTemplate: Template.fromStack(built.events),
    peopleTemplate: Template.fromStack(built.people),
    apiTemplate: Template.fromStack(built.api),
    edgeTemplate: Template.fromStack(built.edge),
    firewallTemplate: built.firewall ? Template.fromStack(built.firewall) : undefined,
  };
}

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export const resourcesOf = (template: Template, type: string) =>
  template.findResources(type) as Record<string, CfnResource>;
