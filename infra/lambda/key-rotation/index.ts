import { SecretsManager } from '@aws-sdk/client-secrets-manager';
import { createRotationHandler } from './rotation-handler.js';

export const handler = createRotationHandler({ client: new SecretsManager({}) });
