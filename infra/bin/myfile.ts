import { App } from 'aws-cdk-lib';
import { buildMyFileApp } from '../lib/myfile-app.js';

const app = new App();
buildMyFileApp(app);
app.synth();
