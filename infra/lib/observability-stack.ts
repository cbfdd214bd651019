import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { alarmTo, createAlarmTopic, type AlarmOptions } from './alarm-topic.js';
import { resourcePrefix, type EnvironmentConfig } from './config.js';
import type { MyFileStackProps } from './stack-props.js';

export interface ObservabilityStackProps extends MyFileStackProps {
  loadBalancer: elbv2.IApplicationLoadBalancer;
  targetGroup: elbv2.IApplicationTargetGroup;
  apiService: ecs.FargateService;
  workerService: ecs.FargateService;
  clusterName: string;
  database: rds.IDatabaseInstance;
  redisReplicationGroupId: string;
  queueDepthMetric: cloudwatch.IMetric;
  queueAgeMetric: cloudwatch.IMetric;
  /** Our own rotation functions; AWS's hosted ones report through the rotation events. */
  rotationFunctions: Record<string, lambda.IFunction>;
}

const GiB = 1024 * 1024 * 1024;

/** Memory of each instance size the config allows, in GiB (RDS sizes max_connections by it). */
const INSTANCE_MEMORY_GIB: Record<string, Record<string, number>> = {
  t4g: { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16 },
  m7g: { large: 8, xlarge: 16 },
  r7g: { large: 16, xlarge: 32 },
};

/** Alarms to one SNS topic, and a dashboard with the same signals side by side. */
export class ObservabilityStack extends Stack {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = resourcePrefix(config);

    this.alarmTopic = createAlarmTopic(this, config);

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
    const dbConnections = props.database.metricDatabaseConnections({ period: Duration.minutes(5) });
    const dbFreeableMemory = props.database.metricFreeableMemory({ period: Duration.minutes(5) });
    const redisMemory = this.redisNodeMetrics(
      config,
      props.redisReplicationGroupId,
      'DatabaseMemoryUsagePercentage',
    );

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
    // The worker logs the queue's figures every minute: silence means no worker is alive.
    this.alarm('JobQueueAge', props.queueAgeMetric, {
      threshold: config.alarms.queueAgeSeconds,
      evaluationPeriods: 5,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      description: `Oldest queued job older than ${config.alarms.queueAgeSeconds}s, or no worker reporting`,
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
    this.tasksBelowDesired(props.clusterName, props.workerService, 'Worker');
    this.tasksBelowDesired(props.clusterName, props.apiService, 'Api');

    const memoryGiB =
      INSTANCE_MEMORY_GIB[config.database.instanceClass]?.[config.database.instanceSize] ?? 1;
    // RDS PostgreSQL's default max_connections: LEAST(DBInstanceClassMemory/9531392, 5000).
    const maxConnections = Math.min(Math.floor((memoryGiB * GiB) / 9531392), 5000);
    this.alarm('DatabaseConnections', dbConnections, {
      threshold: Math.floor(maxConnections * 0.8),
      evaluationPeriods: 3,
      description: `RDS connections above 80% of max_connections (${maxConnections})`,
    });
    this.alarm('DatabaseFreeableMemory', dbFreeableMemory, {
      threshold: memoryGiB * GiB * 0.1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      description: 'RDS freeable memory below 10% of the instance memory',
    });
    this.redisNodeMetrics(config, props.redisReplicationGroupId, 'EngineCPUUtilization').forEach(
      (metric, index) =>
        this.alarm(`RedisCpu${index + 1}`, metric, {
          threshold: 80,
          evaluationPeriods: 3,
          description: 'Redis engine CPU above 80% (Redis runs on one core)',
        }),
    );
    this.redisNodeMetrics(config, props.redisReplicationGroupId, 'Evictions', 'Sum').forEach(
      (metric, index) =>
        this.alarm(`RedisEvictions${index + 1}`, metric, {
          threshold: 0,
          evaluationPeriods: 2,
          description: 'Redis evicts keys: rate-limit counters and cache entries are being lost',
        }),
    );
    this.rotationAlarms(props.rotationFunctions);

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
        left: [dbConnections],
      }),
      new cloudwatch.GraphWidget({ title: 'Redis memory (%)', left: redisMemory }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
  }

  private alarm(id: string, metric: cloudwatch.IMetric, options: AlarmOptions): cloudwatch.Alarm {
    const alarm = alarmTo(this, this.alarmTopic, id, metric, options);
    this.alarms.push(alarm);
    return alarm;
  }

  /**
   * A service with fewer running tasks than it wants, for most of 10 minutes: tasks crash on
   * start, cannot pull the image or fail health checks. Rolling deploys start new tasks
   * before stopping old ones, so they do not trip it. No data means no tasks report at all.
   */
  private tasksBelowDesired(clusterName: string, service: ecs.FargateService, label: string) {
    const metric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName,
        dimensionsMap: { ClusterName: clusterName, ServiceName: service.serviceName },
        statistic: 'Average',
        period: Duration.minutes(1),
      });
    const missing = new cloudwatch.MathExpression({
      label: `${label} tasks missing`,
      expression: 'desired - running',
      usingMetrics: { desired: metric('DesiredTaskCount'), running: metric('RunningTaskCount') },
      period: Duration.minutes(1),
    });
    this.alarm(`${label}TasksBelowDesired`, missing, {
      threshold: 0,
      evaluationPeriods: 10,
      datapointsToAlarm: 8,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      description: `${label} service runs fewer tasks than desired for 8 of 10 minutes`,
    });
  }

  /** Failed rotations: AWS's event for any secret, and our functions' own errors. */
  private rotationAlarms(functions: Record<string, lambda.IFunction>): void {
    const failed = new events.Rule(this, 'RotationFailed', {
      description: 'A Secrets Manager rotation failed or was abandoned',
      eventPattern: {
        source: ['aws.secretsmanager'],
        detailType: ['AWS Service Event via CloudTrail'],
        detail: { eventName: ['RotationFailed', 'RotationAbandoned'] },
      },
      targets: [new eventsTargets.SnsTopic(this.alarmTopic)],
    });
    this.alarm(
      'SecretRotationFailed',
      new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'TriggeredRules',
        dimensionsMap: { RuleName: failed.ruleName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      {
        threshold: 0,
        evaluationPeriods: 1,
        description: 'A secret rotation failed (database, Redis, origin header or signing keys)',
      },
    );
    for (const [name, fn] of Object.entries(functions)) {
      this.alarm(`${name}RotationErrors`, fn.metricErrors({ period: Duration.minutes(5) }), {
        threshold: 0,
        evaluationPeriods: 1,
        description: `The ${name} rotation function failed a step`,
      });
    }
  }

  /** Cluster-mode-disabled replication groups name their nodes <id>-001, <id>-002, ... */
  private redisNodeMetrics(
    config: EnvironmentConfig,
    replicationGroupId: string,
    metricName: string,
    statistic = 'Maximum',
  ) {
    return Array.from({ length: config.redis.replicas + 1 }, (_, index) => {
      const node = `${replicationGroupId}-${String(index + 1).padStart(3, '0')}`;
      return new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensionsMap: { CacheClusterId: node },
        statistic,
        period: Duration.minutes(5),
        label: node,
      });
    });
  }
}
