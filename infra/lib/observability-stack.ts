import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { resourcePrefix, type EnvironmentConfig } from './config.js';
import type { MyFileStackProps } from './stack-props.js';

export interface ObservabilityStackProps extends MyFileStackProps {
  loadBalancer: elbv2.IApplicationLoadBalancer;
  targetGroup: elbv2.IApplicationTargetGroup;
  apiService: ecs.FargateService;
  workerService: ecs.FargateService;
  database: rds.IDatabaseInstance;
  redisReplicationGroupId: string;
  queueDepthMetric: cloudwatch.IMetric;
  queueAgeMetric: cloudwatch.IMetric;
}

const GiB = 1024 * 1024 * 1024;

/** Alarms to one SNS topic, and a dashboard with the same signals side by side. */
export class ObservabilityStack extends Stack {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = resourcePrefix(config);

    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: `${prefix} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch must be able to publish to the encrypted topic.
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'Alarms', {
      topicName: `${prefix}-alarms`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (config.alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    }

    const requests = props.loadBalancer.metrics.requestCount({ period: Duration.minutes(5) });
    const target5xx = props.loadBalancer.metrics.httpCodeTarget(
      elbv2.HttpCodeTarget.TARGET_5XX_COUNT,
      { period: Duration.minutes(5) },
    );
    const elb5xx = props.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
      period: Duration.minutes(5),
    });
    const errorRate = new cloudwatch.MathExpression({
      label: '5xx %',
      expression: 'IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)',
      usingMetrics: { requests, target5xx, elb5xx },
      period: Duration.minutes(5),
    });
    const p99 = props.targetGroup.metrics.targetResponseTime({
      statistic: 'p99',
      period: Duration.minutes(5),
    });
    const dbCpu = props.database.metricCPUUtilization({ period: Duration.minutes(5) });
    const dbFreeStorage = props.database.metricFreeStorageSpace({ period: Duration.minutes(5) });
    const redisMemory = this.redisMemoryMetrics(config, props.redisReplicationGroupId);

    this.alarm('AlbErrorRate', errorRate, {
      threshold: config.alarms.errorRatePercent,
      evaluationPeriods: 2,
      description: `ALB 5xx responses above ${config.alarms.errorRatePercent}% of requests`,
    });
    this.alarm('ApiLatencyP99', p99, {
      threshold: config.alarms.p99LatencySeconds,
      evaluationPeriods: 3,
      description: `API p99 target response time above ${config.alarms.p99LatencySeconds}s`,
    });
    this.alarm('DatabaseCpu', dbCpu, {
      threshold: 80,
      evaluationPeriods: 3,
      description: 'RDS CPU above 80% for 15 minutes',
    });
    this.alarm('DatabaseFreeStorage', dbFreeStorage, {
      threshold: Math.max(2, config.database.allocatedStorageGiB * 0.1) * GiB,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      description: 'RDS free storage below 10% of the allocated size',
    });
    this.alarm('JobQueueAge', props.queueAgeMetric, {
      threshold: config.alarms.queueAgeSeconds,
      evaluationPeriods: 5,
      description: `Oldest queued job older than ${config.alarms.queueAgeSeconds}s`,
    });
    redisMemory.forEach((metric, index) =>
      this.alarm(`RedisMemory${index + 1}`, metric, {
        threshold: 80,
        evaluationPeriods: 3,
        description: 'Redis memory usage above 80%',
      }),
    );
    this.alarm('ApiUnhealthyTargets', props.targetGroup.metrics.unhealthyHostCount(), {
      threshold: 0,
      evaluationPeriods: 5,
      description: 'API targets failing /readyz',
    });

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: prefix,
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Requests', left: [requests] }),
      new cloudwatch.GraphWidget({ title: '5xx rate (%)', left: [errorRate] }),
      new cloudwatch.GraphWidget({ title: 'API p99 latency (s)', left: [p99] }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'ECS CPU (%)',
        left: [
          props.apiService.metricCpuUtilization({ label: 'api' }),
          props.workerService.metricCpuUtilization({ label: 'worker' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'ECS memory (%)',
        left: [
          props.apiService.metricMemoryUtilization({ label: 'api' }),
          props.workerService.metricMemoryUtilization({ label: 'worker' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Job queue',
        left: [props.queueDepthMetric],
        right: [props.queueAgeMetric],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'RDS CPU (%)', left: [dbCpu] }),
      new cloudwatch.GraphWidget({ title: 'RDS free storage (bytes)', left: [dbFreeStorage] }),
      new cloudwatch.GraphWidget({
        title: 'RDS connections',
        left: [props.database.metricDatabaseConnections()],
      }),
      new cloudwatch.GraphWidget({ title: 'Redis memory (%)', left: redisMemory }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    options: {
      threshold: number;
      evaluationPeriods: number;
      description: string;
      comparisonOperator?: cloudwatch.ComparisonOperator;
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods,
      comparisonOperator:
        options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    const action = new cloudwatchActions.SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }

  /** Cluster-mode-disabled replication groups name their nodes <id>-001, <id>-002, ... */
  private redisMemoryMetrics(config: EnvironmentConfig, replicationGroupId: string) {
    return Array.from({ length: config.redis.replicas + 1 }, (_, index) => {
      const node = `${replicationGroupId}-${String(index + 1).padStart(3, '0')}`;
      return new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName: 'DatabaseMemoryUsagePercentage',
        dimensionsMap: { CacheClusterId: node },
        statistic: 'Maximum',
        period: Duration.minutes(5),
        label: node,
      });
    });
  }
}
