import { ElastiCache } from '@aws-sdk/client-elasticache';
import { SecretsManager } from '@aws-sdk/client-secrets-manager';
import { createRedisRotationHandler } from './redis-rotation.js';

const replicationGroupId = process.env.REPLICATION_GROUP_ID;
if (replicationGroupId === undefined || replicationGroupId === '') {
  throw new Error('REPLICATION_GROUP_ID is not set');
}

export const handler = createRedisRotationHandler({
  secrets: new SecretsManager({}),
  elastiCache: new ElastiCache({}),
  replicationGroupId,
});
