import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { resourcePrefix, type EnvironmentConfig } from './config.js';

/**
 * An encrypted SNS topic for alarms, mailed to `alarmEmail`. CloudWatch alarms can only
 * notify a topic of their own region, so the app region and us-east-1 (CloudFront, WAF)
 * each have one.
 */
export function createAlarmTopic(
  scope: Construct,
  config: EnvironmentConfig,
  suffix = '',
): sns.Topic {
  const prefix = resourcePrefix(config);
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    description: `${prefix} alarm topic${suffix}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // CloudWatch alarms and EventBridge rules publish to the encrypted topic.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [
        new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
        new iam.ServicePrincipal('events.amazonaws.com'),
      ],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  );
  const topic = new sns.Topic(scope, 'Alarms', {
    topicName: `${prefix}-alarms${suffix}`,
    masterKey: key,
    enforceSSL: true,
  });
  if (config.alarmEmail !== undefined) {
    topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
  }
  return topic;
}

export interface AlarmOptions {
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  description: string;
  comparisonOperator?: cloudwatch.ComparisonOperator;
  treatMissingData?: cloudwatch.TreatMissingData;
}

/** An alarm that notifies the topic when it fires and when it recovers. */
export function alarmTo(
  scope: Construct,
  topic: sns.ITopic,
  id: string,
  metric: cloudwatch.IMetric,
  options: AlarmOptions,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric,
    threshold: options.threshold,
    evaluationPeriods: options.evaluationPeriods,
    ...(options.datapointsToAlarm === undefined
      ? {}
      : { datapointsToAlarm: options.datapointsToAlarm }),
    comparisonOperator:
      options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: options.description,
  });
  const action = new cloudwatchActions.SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}
