import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { resourcePrefix, type EnvironmentConfig } from './config.js';

/**
 * The topic the worker publishes archive and restore outcomes to (`NOTIFY_SNS_TOPIC_ARN`).
 * Encrypted with a key of its own; `notificationEmail` is subscribed when given, and anyone
 * with access to the account subscribes more (docs/deploy.md#archive-and-restore-notifications).
 */
export function createNotificationTopic(
  scope: Construct,
  config: EnvironmentConfig,
): { topic: sns.Topic; key: kms.Key } {
  const prefix = resourcePrefix(config);
  const key = new kms.Key(scope, 'NotificationTopicKey', {
    description: `${prefix} archive and restore notifications`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const topic = new sns.Topic(scope, 'Notifications', {
    topicName: `${prefix}-notifications`,
    displayName: 'My File',
    masterKey: key,
    enforceSSL: true,
  });
  if (config.notificationEmail !== undefined) {
    topic.addSubscription(new subscriptions.EmailSubscription(config.notificationEmail));
  }
  return { topic, key };
}

/** sns:Publish on the topic and the two key actions it needs; no wildcard (grantPublish has one). */
export function allowPublish(
  role: iam.IRole,
  { topic, key }: { topic: sns.ITopic; key: kms.IKey },
  region: string,
): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PublishNotifications',
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'EncryptNotifications',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` } },
    }),
  );
}
