import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadOrCreateKeyRingFile, rotateKeyRingFile } from './key-ring.file.js';
import type { KeyRingDocument } from './key-ring.models.js';

/** The AWS SDK is loaded only by a deployment that keeps its ring in Secrets Manager. */
const secretsManager = async (client: SecretsManagerClient | undefined) => {
  const [{ SecretsManagerClient }, secrets] = await Promise.all([
    import('@aws-sdk/client-secrets-manager'),
    import('./key-ring.secrets-manager.js'),
  ]);
  return { client: client ?? new SecretsManagerClient({}), ...secrets };
};

type KeyRingSettings = { SECRETS_ID?: string | undefined; DATA_DIR: string };

/** Where the ring comes from: Secrets Manager when SECRETS_ID is set, else DATA_DIR/keys. */
export const loadKeyRingDocument = async (
  config: KeyRingSettings,
  client?: SecretsManagerClient,
): Promise<KeyRingDocument> => {
  if (!config.SECRETS_ID) return loadOrCreateKeyRingFile(config.DATA_DIR);
  const secrets = await secretsManager(client);
  return secrets.readKeyRingSecret({ client: secrets.client, secretId: config.SECRETS_ID });
};

export const rotateKeyRing = async (
  config: KeyRingSettings,
  client?: SecretsManagerClient,
): Promise<KeyRingDocument> => {
  if (!config.SECRETS_ID) return rotateKeyRingFile(config.DATA_DIR);
  const secrets = await secretsManager(client);
  return secrets.rotateKeyRingSecret({ client: secrets.client, secretId: config.SECRETS_ID });
};
