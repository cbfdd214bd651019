import { beforeEach, describe, expect, it } from 'vitest';
import {
  parseKeyRingDocument,
  newestKeyEntry,
  type KeyRingDocument,
} from '../../../apps/server/src/keys/key-ring.models.js';
import {
  FakeSecretsManager,
  rotateOnce,
  withPendingToken,
} from '../rotation/rotation.test-utils.js';
import { createRotationHandler, RotationError, type RotationEvent } from './rotation-handler.js';

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

  const rotate = (token: string) => rotateOnce(fake, handler(), { secretId, token });
  const currentRing = (): KeyRingDocument => parseKeyRingDocument(fake.stringAt('AWSCURRENT'));

  beforeEach(() => {
    clock = new Date('2026-01-01T00:00:00.000Z');
    fake = new FakeSecretsManager('initial', JSON.stringify({ version: 1, keys: [] }));
    logs.length = 0;
  });

  it('runs the four steps: the new ring becomes AWSCURRENT with one usable key', async () => {
    await rotate('token-1');
    const ring = currentRing();
    expect(ring.keys).toHaveLength(1);
    expect(ring.keys[0]?.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(fake.versions.get('initial')?.stages).toEqual(['AWSPREVIOUS']);
    expect(fake.versions.get('token-1')?.stages).toEqual(['AWSCURRENT']);
  });

  it('keeps verifying keys across rotations and retires expired ones', async () => {
    await rotate('token-1');
    const first = newestKeyEntry(currentRing())?.kid;
    clock = new Date(clock.getTime() + 30 * DAY_MS);
    await rotate('token-2');
    expect(currentRing().keys.map((k) => k.kid)).toContain(first);
    clock = new Date(clock.getTime() + 32 * DAY_MS);
    await rotate('token-3');
    const kids = currentRing().keys.map((k) => k.kid);
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
