import { beforeEach, describe, expect, it } from 'vitest';
import {
  FakeSecretsManager,
  rotateOnce,
  withPendingToken,
} from '../rotation/rotation.test-utils.js';
import { createRedisRotationHandler, type RedisAuthClient } from './redis-rotation.js';

const secretId =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:myfile-prod/redis/auth-token';
const first = 't'.repeat(64);

class InvalidParameterCombinationException extends Error {
  override name = 'InvalidParameterCombinationException';
}

/**
 * ElastiCache's AUTH token rules as documented (AWS, not our code): ROTATE adds a token
 * next to the one in use (at most two), SET keeps only the given one and is allowed only
 * after a ROTATE, and each change takes a few polls to apply.
 */
class FakeReplicationGroup implements RedisAuthClient {
  tokens: string[] = [first];
  pendingPolls = 0;
  modifications: string[] = [];

  async describeReplicationGroups() {
    if (this.pendingPolls > 0) this.pendingPolls -= 1;
    const modifying = this.pendingPolls > 0;
    return {
      ReplicationGroups: [
        {
          ReplicationGroupId: 'myfile-prod',
          AuthTokenEnabled: true,
          Status: modifying ? 'modifying' : 'available',
          PendingModifiedValues: modifying ? { AuthTokenStatus: 'ROTATING' as const } : {},
        },
      ],
    };
  }

  async modifyReplicationGroup(input: { AuthToken?: string; AuthTokenUpdateStrategy?: string }) {
    if (this.pendingPolls > 0) throw new Error('InvalidReplicationGroupState');
    const token = input.AuthToken ?? '';
    this.modifications.push(`${input.AuthTokenUpdateStrategy}`);
    if (input.AuthTokenUpdateStrategy === 'ROTATE') {
      if (this.tokens.length >= 2) {
        throw new InvalidParameterCombinationException('the group already has two AUTH tokens');
      }
      this.tokens = [...this.tokens, token];
    } else if (input.AuthTokenUpdateStrategy === 'SET') {
      if (this.tokens.length < 2 || !this.tokens.includes(token)) {
        throw new InvalidParameterCombinationException('SET is allowed only after ROTATE');
      }
      this.tokens = [token];
    }
    this.pendingPolls = 3;
    return {};
  }
}

describe('Redis AUTH token rotation', () => {
  let secrets: FakeSecretsManager;
  let group: FakeReplicationGroup;
  const handler = () =>
    createRedisRotationHandler({
      secrets: withPendingToken(secrets),
      elastiCache: group,
      replicationGroupId: 'myfile-prod',
      pollIntervalMs: 1,
      sleep: async () => {},
      log: () => {},
    });

  beforeEach(() => {
    secrets = new FakeSecretsManager('initial', first);
    group = new FakeReplicationGroup();
  });

  it('adds the new token next to the current one, so running tasks keep connecting', async () => {
    await rotateOnce(secrets, handler(), { secretId, token: 'token-1' });
    const current = secrets.stringAt('AWSCURRENT');
    expect(current).toMatch(/^[A-Za-z0-9]{32,64}$/);
    expect(group.tokens).toEqual([first, current]);
  });

  it('rotates again: keeps only the current token, then adds the next', async () => {
    await rotateOnce(secrets, handler(), { secretId, token: 'token-1' });
    const second = secrets.stringAt('AWSCURRENT');
    await rotateOnce(secrets, handler(), { secretId, token: 'token-2' });
    expect(group.tokens).toEqual([second, secrets.stringAt('AWSCURRENT')]);
    expect(group.modifications).toEqual(['ROTATE', 'ROTATE', 'SET', 'ROTATE']);
  });

  it('waits for a change in progress before modifying the group', async () => {
    group.pendingPolls = 5;
    await rotateOnce(secrets, handler(), { secretId, token: 'token-1' });
    expect(group.tokens).toHaveLength(2);
  });

  it('fails the step, changing nothing, when the group stays busy past the timeout', async () => {
    group.pendingPolls = 1000;
    secrets.startRotation('token-1');
    const run = createRedisRotationHandler({
      secrets: withPendingToken(secrets),
      elastiCache: group,
      replicationGroupId: 'myfile-prod',
      settleTimeoutMs: 0,
      sleep: async () => {},
      log: () => {},
    });
    const event = { SecretId: secretId, ClientRequestToken: 'token-1' };
    await run({ ...event, Step: 'createSecret' });
    await expect(run({ ...event, Step: 'setSecret' })).rejects.toThrow(/still modifying/);
    expect(group.tokens).toEqual([first]);
    expect(secrets.stringAt('AWSCURRENT')).toBe(first);
  });
});
