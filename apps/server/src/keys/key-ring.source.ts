import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadOrCreateKeyRingFile, rotateKeyRingFile } from './key-ring.file.js';
import type { KeyRingDocument } from './key-ring.models.js';
import { readKeyRingSecret, rotateKeyRingSecret } from './key-ring.secrets-manager.js';

type KeyRingSettings = { SECRETS_ID?: string | undefined; DATA_DIR: string };

/** Where the ring comes from: Secrets Manager when SECRETS_ID is set, else DATA_DIR/keys. */
export const loadKeyRingDocument = (
  config: KeyRingSettings,
  client?: SecretsManagerClient,
): Promise<KeyRingDocument> =>
  config.SECRETS_ID
    ? readKeyRingSecret({
        client: client ?? new SecretsManagerClient({}),
        secretId: config.SECRETS_ID,
      })
    : loadOrCreateKeyRingFile(config.DATA_DIR);

export const rotateKeyRing = (
  config: KeyRingSettings,
  client?: SecretsManagerClient,
): Promise<KeyRingDocument> =>
  config.SECRETS_ID
    ? rotateKeyRingSecret({
        client: client ?? new SecretsManagerClient({}),
        secretId: config.SECRETS_ID,
      })
    : rotateKeyRingFile(config.DATA_DIR);
