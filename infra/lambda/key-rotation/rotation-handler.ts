import type {
  DescribeSecretCommandInput,
  DescribeSecretCommandOutput,
  GetSecretValueCommandInput,
  GetSecretValueCommandOutput,
  PutSecretValueCommandInput,
  PutSecretValueCommandOutput,
  UpdateSecretVersionStageCommandInput,
  UpdateSecretVersionStageCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import {
  toKeyRing,
  rotateKeyRingDocument,
  generateKeyEntry,
  parseKeyRingDocument,
  type KeyEntry,
} from '../../../apps/server/src/keys/key-ring.models.js';

/** The four calls rotation needs; the SDK's `SecretsManager` client satisfies it. */
export interface RotationSecretsClient {
  describeSecret(
    input: DescribeSecretCommandInput,
  ): Promise<Pick<DescribeSecretCommandOutput, 'RotationEnabled' | 'VersionIdsToStages'>>;
  getSecretValue(
    input: GetSecretValueCommandInput,
  ): Promise<Pick<GetSecretValueCommandOutput, 'SecretString' | 'VersionId'>>;
  putSecretValue(input: PutSecretValueCommandInput): Promise<Partial<PutSecretValueCommandOutput>>;
  updateSecretVersionStage(
    input: UpdateSecretVersionStageCommandInput,
  ): Promise<Partial<UpdateSecretVersionStageCommandOutput>>;
}

export interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
}

export interface RotationDependencies {
  client: RotationSecretsClient;
  now?: () => Date;
  generateKey?: (now: Date) => KeyEntry;
  log?: (message: string) => void;
}

export class RotationError extends Error {
  override name = 'RotationError';
}

function isResourceNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}

/**
 * Secrets Manager's four-step rotation protocol for the signing key ring.
 * Each step is idempotent: Secrets Manager retries steps, and a retried step must not add
 * a second key or move a label twice.
 */
export function createRotationHandler(deps: RotationDependencies) {
  const { client } = deps;
  const now = deps.now ?? (() => new Date());
  const generateKey = deps.generateKey ?? generateKeyEntry;
  const log = deps.log ?? ((message: string) => console.log(message));

  async function createSecret(secretId: string, token: string): Promise<void> {
    try {
      await client.getSecretValue({
        SecretId: secretId,
        VersionId: token,
        VersionStage: 'AWSPENDING',
      });
      log(`createSecret: version ${token} already exists`);
      return;
    } catch (error) {
      if (!isResourceNotFound(error)) throw error;
    }
    const current = await client.getSecretValue({ SecretId: secretId, VersionStage: 'AWSCURRENT' });
    if (current.SecretString === undefined)
      throw new RotationError('current version has no SecretString');
    const next = rotateKeyRingDocument(
      parseKeyRingDocument(current.SecretString),
      now(),
      generateKey,
    );
    await client.putSecretValue({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: JSON.stringify(next),
      VersionStages: ['AWSPENDING'],
    });
    log(`createSecret: wrote version ${token} with ${next.keys.length} keys`);
  }

  async function testSecret(secretId: string, token: string): Promise<void> {
    const pending = await client.getSecretValue({
      SecretId: secretId,
      VersionId: token,
      VersionStage: 'AWSPENDING',
    });
    if (pending.SecretString === undefined)
      throw new RotationError('pending version has no SecretString');
    toKeyRing(parseKeyRingDocument(pending.SecretString), now());
    log(`testSecret: version ${token} is a usable key ring`);
  }

  async function finishSecret(secretId: string, token: string): Promise<void> {
    const description = await client.describeSecret({ SecretId: secretId });
    const versions = description.VersionIdsToStages ?? {};
    const currentVersion = Object.entries(versions).find(([, stages]) =>
      stages.includes('AWSCURRENT'),
    )?.[0];
    if (currentVersion === token) {
      log(`finishSecret: version ${token} is already AWSCURRENT`);
      return;
    }
    await client.updateSecretVersionStage({
      SecretId: secretId,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: token,
      ...(currentVersion === undefined ? {} : { RemoveFromVersionId: currentVersion }),
    });
    log(`finishSecret: version ${token} is now AWSCURRENT`);
  }

  return async function handler(event: RotationEvent): Promise<void> {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    const description = await client.describeSecret({ SecretId: secretId });
    if (description.RotationEnabled !== true) {
      throw new RotationError(`secret ${secretId} does not have rotation enabled`);
    }
    const stages = description.VersionIdsToStages?.[token];
    if (stages === undefined) {
      throw new RotationError(`version ${token} has no stage for rotation of ${secretId}`);
    }
    if (stages.includes('AWSCURRENT')) {
      log(`version ${token} is already AWSCURRENT; nothing to do`);
      return;
    }
    if (!stages.includes('AWSPENDING')) {
      throw new RotationError(`version ${token} is not AWSPENDING for rotation of ${secretId}`);
    }
    switch (step) {
      case 'createSecret':
        return createSecret(secretId, token);
      case 'setSecret':
        // Nothing downstream holds a copy: the app reads the ring from the secret itself.
        log('setSecret: nothing to do');
        return;
      case 'testSecret':
        return testSecret(secretId, token);
      case 'finishSecret':
        return finishSecret(secretId, token);
      default: {
        const unknownStep: never = step;
        throw new RotationError(`unknown rotation step ${String(unknownStep)}`);
      }
    }
  };
}
