import { beforeEach, describe, expect, it } from 'vitest';
import {
  parseKeyRingDocument,
  newestKeyEntry,
  type KeyRingDocument,
} from '../../../apps/server/src/keys/key-ring.models.js';
import {
  createRotationHandler,
  RotationError,
  type RotationEvent,
  type RotationSecretsClient,
} from './rotation-handler.js';

class ResourceNotFoundException extends Error {
  override name = 'ResourceNotFoundException';
}

/**
 * An in-memory stand-in for the Secrets Manager API (AWS, not our own code), modelling
 * versions and staging labels closely enough to exercise the rotation protocol.
 */
class FakeSecretsManager implements RotationSecretsClient {
  readonly versions = new Map<string, { secretString: string; stages: string[] }>();
  rotationEnabled = true;
  putCalls = 0;

  constructor(initialVersion: string, secretString: string) {
    this.versions.set(initialVersion, { secretString, stages: ['AWSCURRENT'] });
  }

  async describeSecret() {
    return {
      RotationEnabled: this.rotationEnabled,
      VersionIdsToStages: Object.fromEntries(
        [...this.versions].map(([id, version]) => [id, [...version.stages]]),
      ),
    };
  }

  async getSecretValue(input: { VersionId?: string; VersionStage?: string }) {
    const match = [...this.versions].find(
      ([id, version]) =>
        (input.VersionId === undefined || id === input.VersionId) &&
        (input.VersionStage === undefined || version.stages.includes(input.VersionStage)),
    );
    if (match === undefined) throw new ResourceNotFoundException('no such version');
    return { VersionId: match[0], SecretString: match[1].secretString };
  }

  async putSecretValue(input: {
    ClientRequestToken?: string;
    SecretString?: string;
    VersionStages?: string[];
  }) {
    this.putCalls += 1;
    const id = input.ClientRequestToken ?? 'generated';
    for (const stage of input.VersionStages ?? []) this.removeStage(stage);
    this.versions.set(id, {
      secretString: input.SecretString ?? '',
      stages: input.VersionStages ?? [],
    });
    return {};
  }

  async updateSecretVersionStage(input: {
    VersionStage?: string;
    MoveToVersionId?: string;
    RemoveFromVersionId?: string;
  }) {
    const target =
      input.MoveToVersionId === undefined ? undefined : this.versions.get(input.MoveToVersionId);
    if (target === undefined) throw new ResourceNotFoundException('no such version');
    const stage = input.VersionStage;
    if (stage === undefined) throw new Error('VersionStage is required');
    if (input.RemoveFromVersionId !== undefined) {
      const previous = this.versions.get(input.RemoveFromVersionId);
      if (previous === undefined || !previous.stages.includes(stage)) {
        throw new Error('RemoveFromVersionId does not hold the stage');
      }
      previous.stages = previous.stages.filter((s) => s !== stage);
      if (stage === 'AWSCURRENT') previous.stages.push('AWSPREVIOUS');
    }
    target.stages.push(stage);
    // Secrets Manager removes AWSPENDING once the new version becomes AWSCURRENT.
    if (stage === 'AWSCURRENT') {
      target.stages = target.stages.filter((s) => s !== 'AWSPENDING');
    }
    return {};
  }

  /** What Secrets Manager does before invoking the Lambda: stage a new token as AWSPENDING. */
  startRotation(token: string) {
    this.removeStage('AWSPENDING');
    this.pendingToken = token;
  }

  pendingToken: string | undefined;

  private removeStage(stage: string) {
    for (const version of this.versions.values()) {
      version.stages = version.stages.filter((s) => s !== stage);
    }
  }

  currentRing(): KeyRingDocument {
    const current = [...this.versions.values()].find((v) => v.stages.includes('AWSCURRENT'));
    if (current === undefined) throw new Error('no AWSCURRENT');
    return parseKeyRingDocument(current.secretString);
  }
}

/**
 * Secrets Manager's DescribeSecret lists the new token as AWSPENDING during rotation even
 * before createSecret stores a value; the fake models that with a wrapper.
 */
function withPendingToken(fake: FakeSecretsManager): RotationSecretsClient {
  return {
    describeSecret: async () => {
      const description = await fake.describeSecret();
      const token = fake.pendingToken;
      if (token !== undefined && description.VersionIdsToStages[token] === undefined) {
        description.VersionIdsToStages[token] = ['AWSPENDING'];
      }
      return description;
    },
    getSecretValue: (input) => fake.getSecretValue(input),
    putSecretValue: (input) => fake.putSecretValue(input),
    updateSecretVersionStage: (input) => fake.updateSecretVersionStage(input),
  };
}

const steps = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
const secretId = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:myfile-keyring-AbCdEf';
const DAY_MS = 24 * 60 * 60 * 1000;

describe('key ring rotation handler', () => {
  let fake: FakeSecretsManager;
  let clock: Date;
  const logs: string[] = [];

  const handler = () =>
    createRotationHandler({
      client: withPendingToken(fake),
      now: () => clock,
      log: (message) => logs.push(message),
    });

  async function rotate(token: string) {
    fake.startRotation(token);
    const run = handler();
    for (const step of steps)
      await run({ SecretId: secretId, ClientRequestToken: token, Step: step });
    fake.pendingToken = undefined;
  }

  beforeEach(() => {
    clock = new Date('2026-01-01T00:00:00.000Z');
    fake = new FakeSecretsManager('initial', JSON.stringify({ version: 1, keys: [] }));
    logs.length = 0;
  });

  it('runs the four steps: the new ring becomes AWSCURRENT with one usable key', async () => {
    await rotate('token-1');
    const ring = fake.currentRing();
    expect(ring.keys).toHaveLength(1);
    expect(ring.keys[0]?.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(fake.versions.get('initial')?.stages).toEqual(['AWSPREVIOUS']);
    expect(fake.versions.get('token-1')?.stages).toEqual(['AWSCURRENT']);
  });

  it('keeps verifying keys across rotations and retires expired ones', async () => {
    await rotate('token-1');
    const first = newestKeyEntry(fake.currentRing())?.kid;
    clock = new Date(clock.getTime() + 30 * DAY_MS);
    await rotate('token-2');
    expect(fake.currentRing().keys.map((k) => k.kid)).toContain(first);
    clock = new Date(clock.getTime() + 32 * DAY_MS);
    await rotate('token-3');
    const kids = fake.currentRing().keys.map((k) => k.kid);
    expect(kids).not.toContain(first);
    expect(kids).toHaveLength(2);
  });

  it('createSecret is idempotent: a retried step does not add a second key', async () => {
    fake.startRotation('token-1');
    const run = handler();
    const event: RotationEvent = {
      SecretId: secretId,
      ClientRequestToken: 'token-1',
      Step: 'createSecret',
    };
    await run(event);
    await run(event);
    expect(fake.putCalls).toBe(1);
  });

  it('finishSecret is idempotent once the version is AWSCURRENT', async () => {
    await rotate('token-1');
    await handler()({ SecretId: secretId, ClientRequestToken: 'token-1', Step: 'finishSecret' });
    expect(fake.versions.get('token-1')?.stages).toEqual(['AWSCURRENT']);
  });

  it('testSecret fails on a pending version that is not a usable ring', async () => {
    fake.startRotation('token-1');
    await fake.putSecretValue({
      ClientRequestToken: 'token-1',
      SecretString: JSON.stringify({ version: 1, keys: [] }),
      VersionStages: ['AWSPENDING'],
    });
    await expect(
      handler()({ SecretId: secretId, ClientRequestToken: 'token-1', Step: 'testSecret' }),
    ).rejects.toThrow(/no unexpired signing key/);
  });

  it('refuses when rotation is not enabled', async () => {
    fake.rotationEnabled = false;
    fake.startRotation('token-1');
    await expect(
      handler()({ SecretId: secretId, ClientRequestToken: 'token-1', Step: 'createSecret' }),
    ).rejects.toThrow(RotationError);
  });

  it('refuses a token that is not staged for rotation', async () => {
    await expect(
      handler()({ SecretId: secretId, ClientRequestToken: 'stranger', Step: 'createSecret' }),
    ).rejects.toThrow(/no stage/);
  });

  it('refuses a current ring that is not valid JSON in the expected format', async () => {
    fake = new FakeSecretsManager('initial', '{"hello":"world"}');
    fake.startRotation('token-1');
    await expect(
      handler()({ SecretId: secretId, ClientRequestToken: 'token-1', Step: 'createSecret' }),
    ).rejects.toThrow(/version/);
  });
});
