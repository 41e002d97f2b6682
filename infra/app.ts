import { App } from 'aws-cdk-lib';
import { readDeploymentSettings } from './config';
import { addSwitchboard } from './switchboard';

const app = new App();
addSwitchboard(app, readDeploymentSettings(app));
app.synth();
