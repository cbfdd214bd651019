import { randomBytes } from 'node:crypto';
import type {
  DescribeReplicationGroupsCommandInput,
  DescribeReplicationGroupsCommandOutput,
  ModifyReplicationGroupCommandInput,
  ModifyReplicationGroupCommandOutput,
} from '@aws-sdk/client-elasticache';
import {
  createRotationHandler,
  RotationError,
  type RotationSecretsClient,
} from '../rotation/rotation-protocol.js';

/** The ElastiCache calls the rotation makes; the SDK's `ElastiCache` client satisfies it. */
export interface RedisAuthClient {
  describeReplicationGroups(
    input: DescribeReplicationGroupsCommandInput,
  ): Promise<Pick<DescribeReplicationGroupsCommandOutput, 'ReplicationGroups'>>;
  modifyReplicationGroup(
    input: ModifyReplicationGroupCommandInput,
  ): Promise<Partial<ModifyReplicationGroupCommandOutput>>;
}

export interface RedisRotationDependencies {
  secrets: RotationSecretsClient;
  elastiCache: RedisAuthClient;
  replicationGroupId: string;
  /** How long a step waits for the replication group to apply an AUTH change. */
  settleTimeoutMs?: number;
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
}

/** ElastiCache AUTH tokens: 16–128 printable characters without @, " or /; alphanumerics here. */
const newToken = () => randomBytes(48).toString('base64url').replace(/[-_]/g, '').slice(0, 64);

const isTwoTokensRefusal = (error: unknown) =>
  error instanceof Error &&
  ['InvalidParameterCombinationException', 'InvalidParameterValueException'].includes(error.name) &&
  /token/i.test(error.message);

/**
 * Rotates the Redis AUTH token with ElastiCache's ROTATE strategy: for a while the group
 * accepts both the current and the new token, so running tasks (which read
 * REDIS_AUTH_TOKEN at start) keep working until they are replaced. A group already holding
 * two tokens first keeps only the current one (SET), then takes the new one.
 */
export function createRedisRotationHandler(deps: RedisRotationDependencies) {
  const { elastiCache, replicationGroupId } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const settleTimeoutMs = deps.settleTimeoutMs ?? 10 * 60_000;
  const pollIntervalMs = deps.pollIntervalMs ?? 15_000;

  async function waitUntilSettled(): Promise<void> {
    const deadline = Date.now() + settleTimeoutMs;
    for (;;) {
      const { ReplicationGroups: groups = [] } = await elastiCache.describeReplicationGroups({
        ReplicationGroupId: replicationGroupId,
      });
      const group = groups[0];
      if (group === undefined)
        throw new RotationError(`no replication group ${replicationGroupId}`);
      if (group.AuthTokenEnabled !== true) {
        throw new RotationError(`replication group ${replicationGroupId} has no AUTH token`);
      }
      if (
        group.Status === 'available' &&
        group.PendingModifiedValues?.AuthTokenStatus === undefined
      ) {
        return;
      }
      if (Date.now() >= deadline) {
        throw new RotationError(`replication group ${replicationGroupId} is still ${group.Status}`);
      }
      await sleep(pollIntervalMs);
    }
  }

  const modify = (token: string, strategy: 'ROTATE' | 'SET') =>
    elastiCache.modifyReplicationGroup({
      ReplicationGroupId: replicationGroupId,
      AuthToken: token,
      AuthTokenUpdateStrategy: strategy,
      ApplyImmediately: true,
    });

  return createRotationHandler({
    client: deps.secrets,
    ...(deps.log === undefined ? {} : { log: deps.log }),
    steps: {
      createValue: () => newToken(),
      setSecret: async ({ current, pending }) => {
        await waitUntilSettled();
        try {
          await modify(pending, 'ROTATE');
        } catch (error) {
          // A retried step after its ROTATE succeeded, or a group holding two tokens.
          if (!isTwoTokensRefusal(error)) throw error;
          await modify(current, 'SET');
          await waitUntilSettled();
          await modify(pending, 'ROTATE');
        }
        await waitUntilSettled();
      },
      testSecret: async () => {
        await waitUntilSettled();
      },
      afterFinish: async () => {},
    },
  });
}
