import { readFileSync } from 'node:fs';
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as triggers from 'aws-cdk-lib/triggers';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { resourcePrefix, type EnvironmentConfig } from './config.js';
import {
  APP_PORT,
  DATABASE_NAME,
  LIVENESS_PATH,
  METRICS_NAMESPACE,
  ORIGIN_VERIFY_HEADER,
  READINESS_PATH,
} from './constants.js';
import { createAppUserSqlPath, releaseTasksEntry, repoRoot } from './paths.js';
import { addOriginRecord } from './dns-records.js';
import { allowPublish, createNotificationTopic } from './notification-topic.js';
import { APP_IMAGE_REPOSITORY } from './pipeline-config.js';
import { createTypeScriptFunction } from './rotation-function.js';
import type { MyFileStackProps } from './stack-props.js';

export interface ComputeStackProps extends MyFileStackProps {
  vpc: ec2.IVpc;
  albSecurityGroup: ec2.ISecurityGroup;
  appSecurityGroup: ec2.ISecurityGroup;
  filesBucket: s3.IBucket;
  archiveBucket: s3.IBucket;
  bucketAccessPolicy: iam.IManagedPolicy;
  storageKey: kms.IKey;
  database: rds.IDatabaseInstance;
  masterSecret: secretsmanager.ISecret;
  appUserSecret: secretsmanager.ISecret;
  redisEndpoint: string;
  redisAuthSecret: secretsmanager.ISecret;
  keyRingSecret: secretsmanager.ISecret;
  keyRingKey: kms.IKey;
  originSecret: secretsmanager.ISecret;
  /** With `-c cognito=true`: the user pool the API signs people in with. */
  oidcProvider?: OidcProviderSettings;
}

/** One OpenID Connect provider, as the API's `OIDC_<ID>_*` settings. */
export interface OidcProviderSettings {
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: secretsmanager.ISecret;
}

/** Lines the worker logs periodically; metric filters turn them into queue metrics. */
export const QUEUE_METRICS = {
  depth: { metricName: 'JobQueueDepth', field: 'queueDepth' },
  oldestAge: { metricName: 'JobQueueOldestAgeSeconds', field: 'oldestJobAgeSeconds' },
} as const;

/** Proxies between a viewer and a task: CloudFront, then the ALB. */
export const PROXY_HOPS = 2;

/** psql for the one-off user task; pinned by digest like the app's base image. */
const POSTGRES_CLIENT_IMAGE =
  'public.ecr.aws/docker/library/postgres:16-alpine@sha256:57c72fd2a128e416c7fcc499958864df5301e940bca0a56f58fddf30ffc07777';

/**
 * One image, two Fargate services (API behind the ALB, worker), plus the one-off task
 * definitions that create the least-privilege database user and run schema migrations.
 */
export class ComputeStack extends Stack {
  readonly cluster: ecs.Cluster;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly apiService: ecs.FargateService;
  readonly workerService: ecs.FargateService;
  readonly workerLogGroup: logs.LogGroup;
  readonly queueDepthMetric: cloudwatch.Metric;
  readonly queueAgeMetric: cloudwatch.Metric;
  /** Forwards to the API only requests carrying CloudFront's secret origin header. */
  readonly originRule: elbv2.ApplicationListenerRule;
  /** Archive and restore outcomes, published by the worker (NOTIFY_SNS_TOPIC_ARN). */
  readonly notificationTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: ComputeStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = resourcePrefix(config);
    const paused = config.servicesPaused;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      clusterName: prefix,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      ...(config.breakGlass
        ? { executeCommandConfiguration: this.auditedExecConfiguration(config) }
        : {}),
    });

    // The pipeline passes the commit it built and tested; a deploy by hand builds the tree.
    const image =
      config.imageTag === undefined
        ? ecs.ContainerImage.fromAsset(repoRoot, {
            file: 'Dockerfile',
            platform: ecrAssets.Platform.LINUX_AMD64,
          })
        : ecs.ContainerImage.fromEcrRepository(
            ecr.Repository.fromRepositoryName(this, 'AppImages', APP_IMAGE_REPOSITORY),
            config.imageTag,
          );

    const taskRole = this.createAppTaskRole(props);
    const notifications = createNotificationTopic(this, config);
    this.notificationTopic = notifications.topic;
    allowPublish(taskRole, notifications, this.region);
    const environment = {
      ...appEnvironment(config, props, this.region, config.publicUrl),
      NOTIFY_SNS_TOPIC_ARN: this.notificationTopic.topicArn,
    };
    const secrets = appSecrets(this, config, props);

    const apiLogs = this.logGroup('ApiLogs', config);
    this.workerLogGroup = this.logGroup('WorkerLogs', config);

    const apiTask = this.appTaskDefinition('Api', config.api.cpu, config.api.memoryMiB, taskRole);
    const signIn = signInSettings(config, props.oidcProvider);
    apiTask.addContainer('app', {
      image,
      // Jobs run in the worker service, which scales on queue depth; the API only serves.
      command: ['node', 'apps/server/dist/cli.js', 'serve', '--no-workers'],
      environment: { ...environment, ...signIn.environment },
      secrets: { ...secrets, ...signIn.secrets },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api', logGroup: apiLogs }),
      portMappings: [{ containerPort: APP_PORT, name: 'http' }],
      healthCheck: httpContainerHealthCheck(LIVENESS_PATH),
      stopTimeout: Duration.seconds(30),
    });

    const workerTask = this.appTaskDefinition(
      'Worker',
      config.worker.cpu,
      config.worker.memoryMiB,
      taskRole,
    );
    workerTask.addContainer('app', {
      image,
      command: ['node', 'apps/server/dist/cli.js', 'worker'],
      environment,
      secrets,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'worker', logGroup: this.workerLogGroup }),
      // The worker answers /healthz on PORT too. Liveness, not readiness: restarting workers
      // because the database blipped would only add load when it comes back.
      healthCheck: httpContainerHealthCheck(LIVENESS_PATH),
      stopTimeout: Duration.seconds(120),
    });

    const serviceDefaults = {
      cluster: this.cluster,
      securityGroups: [props.appSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      enableExecuteCommand: false,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    };

    this.apiService = new ecs.FargateService(this, 'ApiService', {
      ...serviceDefaults,
      serviceName: `${prefix}-api`,
      taskDefinition: apiTask,
      desiredCount: paused ? 0 : config.api.minTasks,
      healthCheckGracePeriod: Duration.seconds(60),
    });

    this.workerService = new ecs.FargateService(this, 'WorkerService', {
      ...serviceDefaults,
      // Break-glass shell (docs/deploy.md#break-glass-access), logged to BreakGlassSessions.
      enableExecuteCommand: config.breakGlass,
      serviceName: `${prefix}-worker`,
      taskDefinition: workerTask,
      desiredCount: paused ? 0 : config.worker.minTasks,
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: props.albSecurityGroup,
      dropInvalidHeaderFields: true,
      // Append (the default, stated because TRUST_PROXY counts on it): CloudFront's address is
      // added after the viewer's, so the app's hop count stays right.
      xffHeaderProcessingMode: elbv2.XffHeaderProcessingMode.APPEND,
      // WebSockets (/api/events) stay open; the app pings well inside this window.
      idleTimeout: Duration.seconds(120),
      deletionProtection: config.retainData,
    });
    const albLogs = new s3.Bucket(this, 'AlbAccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.loadBalancer.logAccessLogs(albLogs, 'alb');
    Validations.of(albLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the ALB log bucket; logging its own access would log the logging.',
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'ApiTargets', {
      vpc: props.vpc,
      port: APP_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.apiService],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: READINESS_PATH,
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    this.originRule = this.addListeners(config, props.originSecret);
    addOriginRecord(this, config, this.loadBalancer);

    this.queueDepthMetric = this.queueMetricFilter(config, QUEUE_METRICS.depth);
    this.queueAgeMetric = this.queueMetricFilter(config, QUEUE_METRICS.oldestAge);
    this.configureScaling(config, paused);

    this.addOneOffTasks(config, props, image, environment);
    this.refreshTasksWeekly([this.apiService, this.workerService]);
    this.acknowledgeTaskDefinitionFindings();
    if (config.breakGlass) {
      const sessions = this.node.findChild('BreakGlassSessions');
      const sessionsId = this.getLogicalId(sessions.node.defaultChild as logs.CfnLogGroup);
      for (const id of [
        'AwsSolutions-IAM5[Resource::*]',
        `AwsSolutions-IAM5[Resource::arn:${this.partition}:logs:${this.region}:${this.account}:log-group:<${sessionsId}>:*]`,
      ]) {
        Validations.of(taskRole).acknowledge({
          id,
          reason:
            'ECS Exec (break-glass, off by default): ssmmessages channels have no resource ARNs; session log streams are made per session.',
        });
      }
    }

    new CfnOutput(this, 'LoadBalancerDnsName', { value: this.loadBalancer.loadBalancerDnsName });
    new CfnOutput(this, 'ClusterName', { value: this.cluster.clusterName });
    new CfnOutput(this, 'NotificationTopicArn', { value: this.notificationTopic.topicArn });
    new CfnOutput(this, 'AppSecurityGroupId', {
      value: props.appSecurityGroup.securityGroupId,
    });
    new CfnOutput(this, 'PrivateSubnetIds', {
      value: props.vpc
        .selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS })
        .subnetIds.join(','),
    });
  }

  /** ECS Exec sessions: every command and its output kept in a log group, encrypted. */
  private auditedExecConfiguration(config: EnvironmentConfig): ecs.ExecuteCommandConfiguration {
    const key = new kms.Key(this, 'BreakGlassKey', {
      description: `${resourcePrefix(config)} ECS Exec sessions`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt*',
          'kms:Decrypt*',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:Describe*',
        ],
        resources: ['*'],
      }),
    );
    Annotations.of(this).addWarningV2(
      'myfile:break-glass',
      'breakGlass=true: ECS Exec is on for the worker; turn it off again after the incident.',
    );
    return {
      kmsKey: key,
      logging: ecs.ExecuteCommandLogging.OVERRIDE,
      logConfiguration: {
        cloudWatchLogGroup: new logs.LogGroup(this, 'BreakGlassSessions', {
          retention: logs.RetentionDays.ONE_YEAR,
          encryptionKey: key,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
        cloudWatchEncryptionEnabled: true,
      },
    };
  }

  private acknowledgeTaskDefinitionFindings(): void {
    for (const child of this.node.findAll()) {
      if (!(child instanceof ecs.TaskDefinition)) continue;
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-ECS2',
        reason:
          'Plain environment variables carry configuration only; every credential comes from Secrets Manager through the secrets block.',
      });
      const executionRole = child.executionRole;
      if (executionRole !== undefined) {
        Validations.of(executionRole).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'ecr:GetAuthorizationToken, which ECS needs to pull the image, cannot be scoped.',
        });
      }
    }
  }

  private logGroup(id: string, config: EnvironmentConfig): logs.LogGroup {
    return new logs.LogGroup(this, id, {
      retention: config.logRetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }

  private appTaskDefinition(
    id: string,
    cpu: number,
    memoryMiB: number,
    taskRole: iam.IRole,
  ): ecs.FargateTaskDefinition {
    return new ecs.FargateTaskDefinition(this, `${id}Task`, {
      cpu,
      memoryLimitMiB: memoryMiB,
      taskRole,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
  }

  /** Exactly the buckets, keys, secret and actions the app uses; nothing with a wildcard. */
  private createAppTaskRole(props: ComputeStackProps): iam.Role {
    const role = new iam.Role(this, 'AppTaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'My File API and worker tasks',
    });
    // Bucket and object statements come with the buckets (StorageStack.appAccessPolicy).
    role.addManagedPolicy(props.bucketAccessPolicy);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'BucketEncryption',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.storageKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadSigningKeyRing',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [props.keyRingSecret.secretArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptSigningKeyRing',
        actions: ['kms:Decrypt'],
        resources: [props.keyRingKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` },
        },
      }),
    );
    return role;
  }

  /**
   * One listener on the port CloudFront uses (HTTPS with the context certificate; HTTP in
   * dev). Only requests with the secret origin header reach the API: anything else, i.e.
   * anything that did not come through CloudFront and its WAF, gets a 403.
   */
  private addListeners(
    config: EnvironmentConfig,
    originSecret: secretsmanager.ISecret,
  ): elbv2.ApplicationListenerRule {
    const certificateArn = config.domain.albCertificateArn;
    const refused = elbv2.ListenerAction.fixedResponse(403, {
      contentType: 'application/json',
      messageBody: JSON.stringify({
        error: { code: 'forbidden', message: 'Requests must come through the public address.' },
      }),
    });
    let listener: elbv2.ApplicationListener;
    if (certificateArn === undefined) {
      Annotations.of(this).addWarningV2(
        'myfile:alb-http-only',
        'dev without albCertificateArn: CloudFront reaches the ALB over plain HTTP (the origin header travels unencrypted between them). Staging and prod refuse to synthesise without certificates.',
      );
      listener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: refused,
      });
    } else {
      listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        open: false,
        certificates: [elbv2.ListenerCertificate.fromArn(certificateArn)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultAction: refused,
      });
    }
    return new elbv2.ApplicationListenerRule(this, 'FromCloudFront', {
      listener,
      priority: 1,
      // Resolved by CloudFormation at deploy time; the rotation function updates it in place.
      conditions: [
        elbv2.ListenerCondition.httpHeader(ORIGIN_VERIFY_HEADER, [
          originSecret.secretValueFromJson('value').unsafeUnwrap(),
        ]),
      ],
      action: elbv2.ListenerAction.forward([this.targetGroup]),
    });
  }

  /**
   * Tasks read their secrets only when they start. The database and Redis rotations keep the
   * previous credentials valid until the next rotation (30 days), so a weekly rolling restart
   * keeps every task well inside that window even when nothing is released.
   */
  private refreshTasksWeekly(services: ecs.FargateService[]): void {
    services.forEach((service, index) => {
      new scheduler.Schedule(this, `WeeklyRefresh${index}`, {
        description: `Rolling restart of ${service.serviceName}: tasks pick up rotated credentials`,
        schedule: scheduler.ScheduleExpression.cron({ weekDay: 'TUE', hour: '4', minute: '0' }),
        target: new schedulerTargets.Universal({
          service: 'ecs',
          action: 'updateService',
          input: scheduler.ScheduleTargetInput.fromObject({
            Cluster: this.cluster.clusterName,
            Service: service.serviceName,
            ForceNewDeployment: true,
          }),
          policyStatements: [
            new iam.PolicyStatement({
              actions: ['ecs:UpdateService'],
              resources: [service.serviceArn],
            }),
          ],
        }),
      });
    });
  }

  private configureScaling(config: EnvironmentConfig, paused: boolean): void {
    const api = this.apiService.autoScaleTaskCount({
      minCapacity: paused ? 0 : config.api.minTasks,
      maxCapacity: paused ? 0 : config.api.maxTasks,
    });
    api.scaleOnCpuUtilization('ApiCpu', {
      targetUtilizationPercent: 60,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });
    api.scaleOnRequestCount('ApiRequests', {
      requestsPerTarget: 1000,
      targetGroup: this.targetGroup,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });

    const worker = this.workerService.autoScaleTaskCount({
      minCapacity: paused ? 0 : config.worker.minTasks,
      maxCapacity: paused ? 0 : config.worker.maxTasks,
    });
    worker.scaleOnCpuUtilization('WorkerCpu', {
      targetUtilizationPercent: 70,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(2),
    });
    // A backlog adds workers faster than CPU would; an empty queue lets one go.
    worker.scaleOnMetric('WorkerQueueDepth', {
      metric: this.queueDepthMetric,
      scalingSteps: [
        { upper: 0, change: -1 },
        { lower: 100, change: 1 },
        { lower: 1000, change: 3 },
      ],
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      cooldown: Duration.minutes(3),
    });
  }

  private queueMetricFilter(
    config: EnvironmentConfig,
    metric: { metricName: string; field: string },
  ): cloudwatch.Metric {
    const filter = new logs.MetricFilter(this, `${metric.metricName}Filter`, {
      logGroup: this.workerLogGroup,
      metricNamespace: `${METRICS_NAMESPACE}/${config.name}`,
      metricName: metric.metricName,
      filterPattern: logs.FilterPattern.numberValue(`$.${metric.field}`, '>=', 0),
      metricValue: `$.${metric.field}`,
    });
    filter.applyRemovalPolicy(RemovalPolicy.DESTROY);
    return new cloudwatch.Metric({
      namespace: `${METRICS_NAMESPACE}/${config.name}`,
      metricName: metric.metricName,
      statistic: 'Maximum',
      period: Duration.minutes(1),
    });
  }

  /**
   * Task definitions run by hand (`aws ecs run-task`, docs/deploy.md): the first creates the
   * app's least-privilege database role as the master user; the second applies the app's
   * schema migrations, also as the master user, so the app role never needs DDL rights.
   */
  private addOneOffTasks(
    config: EnvironmentConfig,
    props: ComputeStackProps,
    image: ecs.ContainerImage,
    environment: Record<string, string>,
  ): void {
    const migrationLogs = this.logGroup('MigrationLogs', config);
    const host = props.database.dbInstanceEndpointAddress;

    const createUserTask = new ecs.FargateTaskDefinition(this, 'CreateAppUserTask', {
      cpu: 256,
      memoryLimitMiB: 512,
    });
    createUserTask.addContainer('psql', {
      image: ecs.ContainerImage.fromRegistry(POSTGRES_CLIENT_IMAGE),
      command: [
        'sh',
        '-c',
        'printf "%s\\n" "$CREATE_APP_USER_SQL" | psql -v ON_ERROR_STOP=1 ' +
          '-v app_user="$APP_DB_USER" -v app_password="$APP_DB_PASSWORD" -v db_name="$PGDATABASE"',
      ],
      environment: {
        PGHOST: host,
        PGPORT: '5432',
        PGDATABASE: DATABASE_NAME,
        PGSSLMODE: 'require',
        CREATE_APP_USER_SQL: readFileSync(createAppUserSqlPath, 'utf8'),
      },
      secrets: {
        PGUSER: ecs.Secret.fromSecretsManager(props.masterSecret, 'username'),
        PGPASSWORD: ecs.Secret.fromSecretsManager(props.masterSecret, 'password'),
        // The secret's current login (myfile_app or, after a rotation, its clone): running
        // the task again re-applies rights and a password that are already current.
        APP_DB_USER: ecs.Secret.fromSecretsManager(props.appUserSecret, 'username'),
        APP_DB_PASSWORD: ecs.Secret.fromSecretsManager(props.appUserSecret, 'password'),
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'create-app-user', logGroup: migrationLogs }),
    });

    const migrateTask = new ecs.FargateTaskDefinition(this, 'MigrateTask', {
      cpu: 512,
      memoryLimitMiB: 1024,
    });
    migrateTask.addContainer('app', {
      image,
      command: ['node', 'apps/server/dist/cli.js', 'migrate'],
      environment: {
        ...environment,
        DATABASE_URL: databaseUrl(host),
      },
      secrets: {
        PGUSER: ecs.Secret.fromSecretsManager(props.masterSecret, 'username'),
        PGPASSWORD: ecs.Secret.fromSecretsManager(props.masterSecret, 'password'),
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'migrate', logGroup: migrationLogs }),
    });

    new CfnOutput(this, 'CreateAppUserTaskDefinitionArn', {
      value: createUserTask.taskDefinitionArn,
    });
    new CfnOutput(this, 'MigrateTaskDefinitionArn', { value: migrateTask.taskDefinitionArn });
    this.runBeforeServicesRoll(config, props, [
      { name: 'create-app-user', definition: createUserTask },
      { name: 'migrate', definition: migrateTask },
    ]);
  }

  /**
   * Every deployment runs the one-off tasks, with the image being deployed, and waits for
   * them before ECS rolls the services: the new release never starts on a schema it does not
   * know, and a failing migration fails the deployment while the old release keeps serving.
   * The trigger runs again whenever a task definition changes (a new image is a new one).
   */
  private runBeforeServicesRoll(
    config: EnvironmentConfig,
    props: ComputeStackProps,
    tasks: Array<{ name: string; definition: ecs.FargateTaskDefinition }>,
  ): void {
    const timeout = Duration.minutes(14);
    const fn = createTypeScriptFunction(this, 'ReleaseTasks', {
      config,
      entry: releaseTasksEntry,
      description: 'Runs the database role task and the migrations before the services roll',
      timeout,
      environment: {
        CLUSTER: this.cluster.clusterName,
        SUBNETS: props.vpc
          .selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS })
          .subnetIds.join(','),
        SECURITY_GROUPS: props.appSecurityGroup.securityGroupId,
        RELEASE_TASKS: this.toJsonString(
          tasks.map(({ name, definition }) => ({
            name,
            taskDefinitionArn: definition.taskDefinitionArn,
          })),
        ),
        TIMEOUT_MS: String(timeout.toMilliseconds() - 60_000),
      },
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RunReleaseTasks',
        actions: ['ecs:RunTask'],
        resources: tasks.map(({ definition }) => definition.taskDefinitionArn),
        conditions: { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WatchReleaseTasks',
        actions: ['ecs:DescribeTasks'],
        resources: [
          `arn:${this.partition}:ecs:${this.region}:${this.account}:task/${this.cluster.clusterName}/*`,
        ],
      }),
    );
    const passRoles = tasks.flatMap(({ definition }) =>
      [definition.taskRole, definition.executionRole].filter((role) => role !== undefined),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassReleaseTaskRoles',
        actions: ['iam:PassRole'],
        resources: passRoles.map((role) => role.roleArn),
      }),
    );
    if (fn.role !== undefined) {
      const clusterId = this.getLogicalId(this.cluster.node.defaultChild as ecs.CfnCluster);
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${this.partition}:ecs:${this.region}:${this.account}:task/<${clusterId}>/*]`,
        reason:
          'Task IDs are made when RunTask starts them; the statement is limited to this cluster.',
      });
    }
    const trigger = new triggers.Trigger(this, 'ReleaseTasksTrigger', {
      handler: fn,
      timeout,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      executeAfter: tasks.map(({ definition }) => definition),
      executeBefore: [this.apiService, this.workerService],
    });
    this.acknowledgeTriggerProvider(trigger);
  }

  /** CDK's trigger provider: one function per stack that invokes ours. */
  private acknowledgeTriggerProvider(trigger: triggers.Trigger): void {
    const provider = this.node.tryFindChild(
      'AWSCDK.TriggerCustomResourceProviderCustomResourceProvider',
    );
    for (const construct of [provider, trigger]) {
      if (construct === undefined) continue;
      for (const id of [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-L1',
      ]) {
        Validations.of(construct).acknowledge({
          id,
          reason:
            "CDK's own trigger provider (aws-cdk-lib/triggers); it only invokes ReleaseTasks.",
        });
      }
    }
  }
}

function httpContainerHealthCheck(path: string): ecs.HealthCheck {
  const probe = `fetch('http://127.0.0.1:${APP_PORT}${path}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return {
    command: ['CMD', 'node', '-e', probe],
    interval: Duration.seconds(30),
    timeout: Duration.seconds(5),
    retries: 3,
    startPeriod: Duration.seconds(60),
  };
}

function databaseUrl(host: string): string {
  return `postgres://${host}:5432/${DATABASE_NAME}?sslmode=require`;
}

function appEnvironment(
  config: EnvironmentConfig,
  props: ComputeStackProps,
  region: string,
  url: string | undefined,
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: String(APP_PORT),
    HOST: '0.0.0.0',
    // The client's address is the X-Forwarded-For entry CloudFront added: the ALB (the
    // socket's peer) and CloudFront (the entry the ALB appended) are the two trusted hops.
    // Anything further left was written by the client. Only the ALB reaches the tasks.
    TRUST_PROXY: String(PROXY_HOPS),
    // The MigrateTask applies migrations as the schema owner; the app user cannot run DDL.
    MIGRATE_ON_START: 'false',
    ...(url === undefined ? {} : { PUBLIC_URL: url }),
    DATA_DIR: '/app/data',
    // No user in the URL: PGUSER comes from the rotated secret, with PGPASSWORD.
    DATABASE_URL: databaseUrl(props.database.dbInstanceEndpointAddress),
    STORAGE_URL: `s3://${props.filesBucket.bucketName}?region=${region}`,
    ARCHIVE_STORAGE_URL: `s3://${props.archiveBucket.bucketName}?region=${region}&storageClass=GLACIER`,
    REDIS_URL: `rediss://${props.redisEndpoint}:6379`,
    SECRETS_ID: props.keyRingSecret.secretArn,
    MAX_UPLOAD_BYTES: String(config.app.maxUploadBytes),
    DEFAULT_QUOTA_BYTES: String(config.app.defaultQuotaBytes),
    TRASH_RETENTION_DAYS: String(config.app.trashRetentionDays),
    LOG_LEVEL: config.app.logLevel,
    AWS_REGION: region,
  };
}

/**
 * Sign-in settings only the API reads. The worker and the migration task never see the
 * provider's secret (and would refuse to start with a provider but no secret).
 */
function signInSettings(
  config: EnvironmentConfig,
  provider: OidcProviderSettings | undefined,
): { environment: Record<string, string>; secrets: Record<string, ecs.Secret> } {
  const environment: Record<string, string> = config.passwordSignIn
    ? {}
    : { PASSWORD_SIGNIN: 'false' };
  if (provider === undefined) return { environment, secrets: {} };
  const name = (setting: string) =>
    `OIDC_${provider.id.toUpperCase().replaceAll('-', '_')}_${setting}`;
  return {
    environment: {
      ...environment,
      OIDC_PROVIDERS: provider.id,
      [name('ISSUER')]: provider.issuer,
      [name('CLIENT_ID')]: provider.clientId,
      [name('LABEL')]: provider.label,
      // Who may have an account is decided by who may be in the pool (cognitoSelfSignUp).
      OIDC_ALLOW_SIGNUP: 'true',
    },
    secrets: { [name('CLIENT_SECRET')]: ecs.Secret.fromSecretsManager(provider.clientSecret) },
  };
}

function appSecrets(
  scope: Construct,
  config: EnvironmentConfig,
  props: ComputeStackProps,
): Record<string, ecs.Secret> {
  const secrets: Record<string, ecs.Secret> = {
    PGUSER: ecs.Secret.fromSecretsManager(props.appUserSecret, 'username'),
    PGPASSWORD: ecs.Secret.fromSecretsManager(props.appUserSecret, 'password'),
    REDIS_AUTH_TOKEN: ecs.Secret.fromSecretsManager(props.redisAuthSecret),
  };
  if (config.mailSecretArn !== undefined) {
    const mail = secretsmanager.Secret.fromSecretCompleteArn(
      scope,
      'MailSecret',
      config.mailSecretArn,
    );
    secrets.MAIL_URL = ecs.Secret.fromSecretsManager(mail);
  }
  return secrets;
}
