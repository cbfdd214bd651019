import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  parseKeyRingDocument,
  KeyRingError,
  rotateKeyRingDocument,
  type KeyRingDocument,
} from './key-ring.models.js';

/** On AWS the ring lives in Secrets Manager; its rotation Lambda writes the same format. */
export const readKeyRingSecret = async ({
  client,
  secretId,
}: {
  client: SecretsManagerClient;
  secretId: string;
}): Promise<KeyRingDocument> => {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!SecretString) throw new KeyRingError(`Secret ${secretId} has no string value.`);
  return parseKeyRingDocument(SecretString);
};

export const rotateKeyRingSecret = async (
  { client, secretId }: { client: SecretsManagerClient; secretId: string },
  now = new Date(),
) => {
  const rotated = rotateKeyRingDocument(await readKeyRingSecret({ client, secretId }), now);
  await client.send(
    new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(rotated) }),
  );
  return rotated;
};
