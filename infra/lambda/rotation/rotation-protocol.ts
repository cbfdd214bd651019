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

export class RotationError extends Error {
  override name = 'RotationError';
}

/** What one kind of secret does at each step; the protocol around it is shared. */
export interface RotationSteps {
  /** The AWSPENDING secret string, made from the AWSCURRENT one. */
  createValue(current: string): string;
  /** Makes the pending value work downstream while the current one keeps working. */
  setSecret(values: { current: string; pending: string }): Promise<void>;
  /** Throws unless the pending value works downstream. */
  testSecret(values: { current: string; pending: string }): Promise<void>;
  /** After the pending value became AWSCURRENT: retire what only the old value needed. */
  afterFinish(values: { current: string }): Promise<void>;
}

export interface RotationDependencies {
  client: RotationSecretsClient;
  steps: RotationSteps;
  log?: (message: string) => void;
}

function isResourceNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}

/**
 * Secrets Manager's four-step rotation protocol. Every step is idempotent: Secrets Manager
 * retries steps, and a retried step must not make a second value or move a label twice.
 */
export function createRotationHandler({ client, steps, log = console.log }: RotationDependencies) {
  const readString = async (secretId: string, input: { token?: string; stage: string }) => {
    const value = await client.getSecretValue({
      SecretId: secretId,
      VersionStage: input.stage,
      ...(input.token === undefined ? {} : { VersionId: input.token }),
    });
    if (value.SecretString === undefined) {
      throw new RotationError(`${input.stage} version has no SecretString`);
    }
    return value.SecretString;
  };
  const currentAndPending = async (secretId: string, token: string) => ({
    current: await readString(secretId, { stage: 'AWSCURRENT' }),
    pending: await readString(secretId, { token, stage: 'AWSPENDING' }),
  });

  async function createSecret(secretId: string, token: string): Promise<void> {
    try {
      await readString(secretId, { token, stage: 'AWSPENDING' });
      log(`createSecret: version ${token} already exists`);
      return;
    } catch (error) {
      if (!isResourceNotFound(error)) throw error;
    }
    const next = steps.createValue(await readString(secretId, { stage: 'AWSCURRENT' }));
    await client.putSecretValue({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: next,
      VersionStages: ['AWSPENDING'],
    });
    log(`createSecret: wrote version ${token}`);
  }

  async function finishSecret(secretId: string, token: string): Promise<void> {
    const description = await client.describeSecret({ SecretId: secretId });
    const currentVersion = Object.entries(description.VersionIdsToStages ?? {}).find(([, stages]) =>
      stages.includes('AWSCURRENT'),
    )?.[0];
    if (currentVersion !== token) {
      await client.updateSecretVersionStage({
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        ...(currentVersion === undefined ? {} : { RemoveFromVersionId: currentVersion }),
      });
      log(`finishSecret: version ${token} is now AWSCURRENT`);
    }
    await steps.afterFinish({ current: await readString(secretId, { stage: 'AWSCURRENT' }) });
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
    if (stages.includes('AWSCURRENT') && step !== 'finishSecret') {
      log(`version ${token} is already AWSCURRENT; nothing to do`);
      return;
    }
    if (!stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT')) {
      throw new RotationError(`version ${token} is not AWSPENDING for rotation of ${secretId}`);
    }
    switch (step) {
      case 'createSecret':
        return createSecret(secretId, token);
      case 'setSecret':
        await steps.setSecret(await currentAndPending(secretId, token));
        log(`setSecret: version ${token} works downstream`);
        return;
      case 'testSecret':
        await steps.testSecret(await currentAndPending(secretId, token));
        log(`testSecret: version ${token} passed`);
        return;
      case 'finishSecret':
        return finishSecret(secretId, token);
      default: {
        const unknownStep: never = step;
        throw new RotationError(`unknown rotation step ${String(unknownStep)}`);
      }
    }
  };
}
