import { App } from 'aws-cdk-lib';
import { buildMyFileApp, buildPipelineApp } from '../lib/myfile-app.js';

const app = new App();
const pipeline: unknown = app.node.tryGetContext('pipeline');
if (pipeline === true || pipeline === 'true') buildPipelineApp(app);
else buildMyFileApp(app);
app.synth();
