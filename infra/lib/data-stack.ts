import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { resourcePrefix } from './config.js';
import { APP_DB_USER, CREDENTIAL_ROTATION_DAYS, DATABASE_NAME } from './constants.js';
import { redisRotationEntry } from './paths.js';
import { createRotationFunction } from './rotation-function.js';
import type { MyFileStackProps } from './stack-props.js';

/** Characters a generated database password never has, so it is safe in a URL and in psql. */
const DATABASE_PASSWORD_EXCLUDED = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\=,.';

export interface DataStackProps extends MyFileStackProps {
  vpc: ec2.IVpc;
  databaseSecurityGroup: ec2.ISecurityGroup;
  redisSecurityGroup: ec2.ISecurityGroup;
  rotationSecurityGroup: ec2.ISecurityGroup;
}

/**
 * RDS PostgreSQL and ElastiCache Redis in the isolated subnets, encrypted at rest with a
 * customer key and in transit (TLS enforced by both), credentials in Secrets Manager and
 * rotated every 30 days: the database's by AWS's hosted rotation functions, Redis AUTH by
 * ours (infra/lambda/redis-auth-rotation), as AWS offers none for it.
 */
export class DataStack extends Stack {
  readonly database: rds.DatabaseInstance;
  readonly masterSecret: secretsmanager.ISecret;
  readonly appUserSecret: rds.DatabaseSecret;
  readonly redisAuthSecret: secretsmanager.Secret;
  readonly redis: elasticache.CfnReplicationGroup;
  readonly redisRotation: lambda.IFunction;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = resourcePrefix(config);
    const retain = config.retainData;

    const dataKey = new kms.Key(this, 'DataKey', {
      description: `${prefix} database and cache storage`,
      enableKeyRotation: true,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const parameterGroup = new rds.ParameterGroup(this, 'PostgresParameters', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      description: 'TLS only, slow statements logged',
      parameters: {
        'rds.force_ssl': '1',
        log_min_duration_statement: '1000',
        ssl_min_protocol_version: 'TLSv1.2',
      },
    });

    this.database = new rds.DatabaseInstance(this, 'Postgres', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(
        instanceClassOf(config.database.instanceClass),
        instanceSizeOf(config.database.instanceSize),
      ),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [props.databaseSecurityGroup],
      publiclyAccessible: false,
      multiAz: config.database.multiAz,
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret('myfile_admin', {
        secretName: `${prefix}/db/master`,
      }),
      parameterGroup,
      storageType: rds.StorageType.GP3,
      allocatedStorage: config.database.allocatedStorageGiB,
      maxAllocatedStorage: config.database.maxAllocatedStorageGiB,
      storageEncrypted: true,
      storageEncryptionKey: dataKey,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      backupRetention: Duration.days(config.database.backupRetentionDays),
      preferredBackupWindow: '02:00-03:00',
      preferredMaintenanceWindow: 'sun:03:30-sun:04:30',
      deletionProtection: config.database.deletionProtection,
      removalPolicy: retain ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      deleteAutomatedBackups: !retain,
      autoMinorVersionUpgrade: true,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      cloudwatchLogsRetention: config.logRetentionDays,
      monitoringInterval: Duration.seconds(60),
      enablePerformanceInsights: config.database.performanceInsights,
      ...(config.database.performanceInsights ? { performanceInsightEncryptionKey: dataKey } : {}),
    });
    Validations.of(this.database).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason:
        'A non-default port hides nothing: the instance is in isolated subnets and its group admits only the app and rotation groups.',
    });
    const monitoringRole = this.database.node.tryFindChild('MonitoringRole');
    if (monitoringRole !== undefined) {
      Validations.of(monitoringRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
        reason: 'The role AWS documents for RDS Enhanced Monitoring; it only writes RDSOSMetrics.',
      });
    }
    // CDK's helper that sets the retention of the log groups RDS creates for its exports.
    const logRetention = this.node.tryFindChild('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a');
    if (logRetention !== undefined) {
      for (const id of [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM5[Resource::*]',
      ]) {
        Validations.of(logRetention).acknowledge({
          id,
          reason:
            "CDK's log-retention function: RDS names its export log groups itself, so the helper needs logs:PutRetentionPolicy on them.",
        });
      }
    }
    if (!config.database.multiAz) {
      Validations.of(this.database).acknowledge({
        id: 'AwsSolutions-RDS3',
        reason: `${config.name} runs a single-AZ instance to save cost (prod is Multi-AZ).`,
      });
    }
    if (!config.database.deletionProtection) {
      Validations.of(this.database).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: `${config.name} is disposable (staging and prod have deletion protection).`,
      });
    }
    if (this.database.secret === undefined) throw new Error('RDS did not generate a secret');
    this.masterSecret = this.database.secret;
    // A final snapshot restores only with the master password it was taken with: the secret
    // stays as long as the snapshot does.
    const generatedMasterSecret = this.database.node.findChild('Secret');
    if (!(generatedMasterSecret instanceof rds.DatabaseSecret)) {
      throw new Error('RDS did not generate its master secret as expected');
    }
    generatedMasterSecret.applyRemovalPolicy(retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);

    // The least-privilege role created by the one-off task (infra/sql/create-app-user.sql);
    // the app receives username and password as PGUSER and PGPASSWORD. Rotation alternates
    // between myfile_app and a clone with the same rights, so the login running tasks hold
    // keeps working until the next rotation (docs/deploy.md#secrets-and-their-rotation).
    this.appUserSecret = new rds.DatabaseSecret(this, 'AppUserSecret', {
      secretName: `${prefix}/db/app-user`,
      username: APP_DB_USER,
      masterSecret: this.masterSecret,
      excludeCharacters: DATABASE_PASSWORD_EXCLUDED,
    });
    this.appUserSecret.applyRemovalPolicy(retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    const appUserAttached = this.appUserSecret.attach(this.database);

    const hostedRotationNetwork = {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [props.rotationSecurityGroup],
      excludeCharacters: DATABASE_PASSWORD_EXCLUDED,
    };
    this.masterSecret.addRotationSchedule('MasterRotation', {
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({
        ...hostedRotationNetwork,
        functionName: `${prefix}-db-master-rotation`,
      }),
      automaticallyAfter: Duration.days(CREDENTIAL_ROTATION_DAYS),
    });
    appUserAttached.addRotationSchedule('AppUserRotation', {
      hostedRotation: secretsmanager.HostedRotation.postgreSqlMultiUser({
        ...hostedRotationNetwork,
        functionName: `${prefix}-db-app-user-rotation`,
        masterSecret: this.masterSecret,
      }),
      automaticallyAfter: Duration.days(CREDENTIAL_ROTATION_DAYS),
      // The first rotation needs the role, which the one-off task creates after deploy.
      rotateImmediatelyOnUpdate: false,
    });

    this.redisAuthSecret = new secretsmanager.Secret(this, 'RedisAuthToken', {
      secretName: `${prefix}/redis/auth-token`,
      description: 'ElastiCache Redis AUTH token (REDIS_AUTH_TOKEN)',
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: `${prefix} Redis in isolated subnets`,
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    const redisLogs = new logs.LogGroup(this, 'RedisSlowLog', {
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const withFailover = config.redis.replicas > 0;
    this.redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: `${prefix} real-time fan-out, rate limits, cache`,
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: config.redis.nodeType,
      numNodeGroups: 1,
      replicasPerNodeGroup: config.redis.replicas,
      automaticFailoverEnabled: withFailover,
      multiAzEnabled: withFailover,
      port: 6379,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [props.redisSecurityGroup.securityGroupId],
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: dataKey.keyArn,
      authToken: this.redisAuthSecret.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: retain ? 7 : 0,
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          logFormat: 'json',
          logType: 'slow-log',
          destinationDetails: {
            cloudWatchLogsDetails: { logGroup: redisLogs.logGroupName },
          },
        },
      ],
    });
    Validations.of(this.redis).acknowledge({
      id: 'AwsSolutions-AEC5',
      reason:
        'A non-default port hides nothing: Redis is in isolated subnets, TLS and AUTH required, its group admits only the app.',
    });
    if (!withFailover) {
      Validations.of(this.redis).acknowledge({
        id: 'AwsSolutions-AEC4',
        reason: `${config.name} runs one Redis node to save cost (staging and prod have a replica).`,
      });
    }
    this.redisRotation = this.rotateRedisAuth(config);
  }

  private rotateRedisAuth(config: DataStackProps['config']): lambda.IFunction {
    const fn = createRotationFunction(this, 'RedisAuthRotation', {
      config,
      entry: redisRotationEntry,
      description: 'Rotates the Redis AUTH token (ElastiCache ROTATE, then SET)',
      environment: { REPLICATION_GROUP_ID: this.redis.ref },
      timeout: Duration.minutes(12),
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ChangeAuthToken',
        actions: ['elasticache:ModifyReplicationGroup', 'elasticache:DescribeReplicationGroups'],
        resources: [
          this.formatArn({
            service: 'elasticache',
            resource: 'replicationgroup',
            resourceName: this.redis.ref,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    const schedule = this.redisAuthSecret.addRotationSchedule('Rotation', {
      rotationLambda: fn,
      automaticallyAfter: Duration.days(CREDENTIAL_ROTATION_DAYS),
    });
    schedule.node.addDependency(this.redis);
    return fn;
  }

  get redisEndpoint(): string {
    return this.redis.attrPrimaryEndPointAddress;
  }
}

function instanceClassOf(name: 't4g' | 'm7g' | 'r7g'): ec2.InstanceClass {
  switch (name) {
    case 't4g':
      return ec2.InstanceClass.BURSTABLE4_GRAVITON;
    case 'm7g':
      return ec2.InstanceClass.STANDARD7_GRAVITON;
    case 'r7g':
      return ec2.InstanceClass.MEMORY7_GRAVITON;
  }
}

function instanceSizeOf(name: 'micro' | 'small' | 'medium' | 'large' | 'xlarge'): ec2.InstanceSize {
  switch (name) {
    case 'micro':
      return ec2.InstanceSize.MICRO;
    case 'small':
      return ec2.InstanceSize.SMALL;
    case 'medium':
      return ec2.InstanceSize.MEDIUM;
    case 'large':
      return ec2.InstanceSize.LARGE;
    case 'xlarge':
      return ec2.InstanceSize.XLARGE;
  }
}
