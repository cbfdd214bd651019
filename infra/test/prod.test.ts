import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  expectDatabaseAndCacheUnreachableFromOutside,
  expectEveryBucketPrivateEncryptedTlsOnly,
  expectNoWildcardIamOnDataServices,
  expectAlbReachableOnlyFromCloudFront,
  identityPolicyStatements,
} from './security-invariants.js';
import { missingContextOf, prodDomainContext, synthesize, warningsOf } from './synth.js';

const synth = synthesize('prod', prodDomainContext);
const { network, secrets, storage, data, compute, edge, originRotation, observability } =
  synth.templates;

type TemplateResource = { Properties: Record<string, unknown> };
const alarmsOf = (template: typeof compute) =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm')) as TemplateResource[];
const alarmDescribed = (template: typeof compute, text: string) => {
  const found = alarmsOf(template).filter((alarm) =>
    String(alarm.Properties.AlarmDescription).includes(text),
  );
  expect(found.length, `alarm "${text}"`).toBeGreaterThan(0);
  return found;
};

describe('prod: review', () => {
  it('has no cdk-nag AwsSolutions finding that is not acknowledged with a reason', () => {
    expect(synth.nagFindings).toEqual([]);
  });

  it('needs no AWS lookup to synthesise with an explicit account (offline, no credentials)', () => {
    expect(missingContextOf(synth)).toEqual([]);
  });
});

describe('prod: security properties', () => {
  it('has no bucket without block-public-access, encryption and a TLS-only policy', () => {
    expectEveryBucketPrivateEncryptedTlsOnly(synth);
  });

  it('lets only CloudFront reach the ALB: its origin-facing prefix list, on 443 only', () => {
    expectAlbReachableOnlyFromCloudFront(synth);
    expect(synth.stacks.config.cloudFrontPrefixListId).toBe('pl-4fa04526');
  });

  it('keeps RDS and Redis private, encrypted and reachable only from the app', () => {
    expectDatabaseAndCacheUnreachableFromOutside(synth);
  });

  it('has no IAM statement with Action * or Resource * on data services', () => {
    expectNoWildcardIamOnDataServices(synth);
  });

  it('uses SSE-KMS and versioning on the files and archive buckets, objects only via the VPC endpoint', () => {
    const buckets = storage.findResources('AWS::S3::Bucket', {
      Properties: { VersioningConfiguration: { Status: 'Enabled' } },
    });
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const bucket of Object.values(buckets) as Array<{ Properties: Record<string, unknown> }>) {
      expect(JSON.stringify(bucket.Properties.BucketEncryption)).toContain('aws:kms');
    }
    const vpceDenies = storage.findResources('AWS::S3::BucketPolicy', {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'DenyObjectAccessOutsideVpc',
              Effect: 'Deny',
              Condition: { StringNotEquals: { 'aws:SourceVpce': Match.anyValue() } },
            }),
          ]),
        },
      },
    });
    expect(Object.keys(vpceDenies)).toHaveLength(2);
  });

  it('gives the app task role exact bucket ARNs and actions', () => {
    const taskStatements = identityPolicyStatements(synth)
      .filter(
        ({ where }) =>
          where.startsWith('compute/AppTaskRoleDefaultPolicy') ||
          where.startsWith('storage/AppBucketAccess'),
      )
      .map(({ statement }) => statement);
    expect(taskStatements.map((s) => s.Sid).sort()).toEqual([
      'ArchiveTierObjects',
      'BucketEncryption',
      'DecryptSigningKeyRing',
      'EncryptNotifications',
      'HotTierObjects',
      'ListAppBuckets',
      'PublishNotifications',
      'ReadSigningKeyRing',
    ]);
    const archive = taskStatements.find((s) => s.Sid === 'ArchiveTierObjects');
    expect(archive?.Action).toEqual(
      [
        's3:GetObject',
        's3:PutObject',
        's3:DeleteObject',
        's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts',
        's3:RestoreObject',
      ].sort(),
    );
    expect(JSON.stringify(archive?.Resource)).toMatch(/ArchiveBucket|Archive/);
    const hot = taskStatements.find((s) => s.Sid === 'HotTierObjects');
    expect(hot?.Action).not.toContain('s3:RestoreObject');
  });
});

describe('prod: network', () => {
  it('builds 10.0.0.0/16 over two AZs with public, private and isolated subnets', () => {
    network.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    network.resourceCountIs('AWS::EC2::Subnet', 6);
    const azs = new Set(
      Object.values(network.findResources('AWS::EC2::Subnet')).map(
        (s) => (s as { Properties: { AvailabilityZone: string } }).Properties.AvailabilityZone,
      ),
    );
    expect([...azs].sort()).toEqual(['eu-west-1a', 'eu-west-1b']);
    network.resourceCountIs('AWS::EC2::InternetGateway', 1);
  });

  it('has one NAT gateway per AZ', () => {
    network.resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  it('routes public subnets to the internet gateway, private to NAT, isolated nowhere', () => {
    const defaultRoutes = Object.entries(
      network.findResources('AWS::EC2::Route', {
        Properties: { DestinationCidrBlock: '0.0.0.0/0' },
      }),
    ).map(([id, route]) => {
      const target = Object.keys((route as { Properties: Record<string, unknown> }).Properties);
      return `${id.replace(/Subnet\d.*$/, '')}->${target.includes('NatGatewayId') ? 'nat' : 'igw'}`;
    });
    expect(defaultRoutes.sort()).toEqual([
      'Vpcprivate->nat',
      'Vpcprivate->nat',
      'Vpcpublic->igw',
      'Vpcpublic->igw',
    ]);
  });

  it('has the S3 gateway endpoint, interface endpoints and flow logs', () => {
    network.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({}),
    });
    const interfaces = Object.values(
      network.findResources('AWS::EC2::VPCEndpoint', {
        Properties: { VpcEndpointType: 'Interface' },
      }),
    ).map((e) =>
      JSON.stringify((e as { Properties: { ServiceName: unknown } }).Properties.ServiceName),
    );
    expect(interfaces.join(' ')).toMatch(/secretsmanager/);
    expect(interfaces.join(' ')).toMatch(/ecr\.api/);
    expect(interfaces.join(' ')).toMatch(/ecr\.dkr/);
    expect(interfaces.join(' ')).toMatch(/logs/);
    network.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
  });

  it('registers no service in a private namespace: no task calls another by name', () => {
    for (const template of Object.values(synth.templates)) {
      template.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 0);
      template.resourceCountIs('AWS::ServiceDiscovery::Service', 0);
    }
    for (const service of Object.values(compute.findResources('AWS::ECS::Service'))) {
      expect((service as TemplateResource).Properties.ServiceRegistries).toBeUndefined();
    }
  });
});

describe('prod: public DNS (hosted zone in context)', () => {
  it('points webDomainName at CloudFront (A and AAAA aliases) in the given zone', () => {
    for (const type of ['A', 'AAAA']) {
      edge.hasResourceProperties('AWS::Route53::RecordSet', {
        HostedZoneId: 'Z0123456789EXAMPLE',
        Name: 'files.example.com.',
        Type: type,
        AliasTarget: {
          DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Distribution'), 'DomainName'] },
          HostedZoneId: Match.anyValue(),
        },
      });
    }
  });

  it('points apiOriginDomainName at the ALB', () => {
    compute.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0123456789EXAMPLE',
      Name: 'origin.files.example.com.',
      Type: 'A',
      AliasTarget: Match.objectLike({
        DNSName: Match.objectLike({}),
      }),
    });
    expect(JSON.stringify(compute.findResources('AWS::Route53::RecordSet'))).toMatch(
      /Alb[0-9A-F]{8}.*DNSName/,
    );
  });

  it('health-checks /readyz through CloudFront and alarms when it fails', () => {
    edge.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({
        Type: 'HTTPS',
        FullyQualifiedDomainName: 'files.example.com',
        ResourcePath: '/readyz',
        Port: 443,
      }),
    });
    const healthCheckId = Object.keys(edge.findResources('AWS::Route53::HealthCheck'))[0];
    edge.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Dimensions: [{ Name: 'HealthCheckId', Value: { Ref: healthCheckId } }],
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    // The checkers reach the app the way users do: /readyz is routed to the ALB, not the SPA.
    edge.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: '/readyz' })]),
      }),
    });
  });
});

describe('prod: data', () => {
  it('runs PostgreSQL Multi-AZ, memory-optimised, TLS-only, backed up, protected from deletion', () => {
    data.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      MultiAZ: true,
      DBInstanceClass: 'db.r7g.large',
      DeletionProtection: true,
      BackupRetentionPeriod: 14,
    });
    data.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
    });
    data.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
    });
  });

  it('keeps master, app-user and Redis credentials in Secrets Manager', () => {
    data.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'myfile-prod/db/master' });
    data.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'myfile-prod/db/app-user',
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: {
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"username":"myfile_app"')])],
        },
      }),
    });
    data.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'myfile-prod/redis/auth-token',
    });
  });

  it('keeps the master and app-user secrets as long as the final snapshot (retained)', () => {
    for (const name of ['myfile-prod/db/master', 'myfile-prod/db/app-user']) {
      data.hasResource('AWS::SecretsManager::Secret', {
        Properties: Match.objectLike({ Name: name }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });

  it('rotates the master (single user) and app-user (alternating users) secrets with AWS hosted rotation', () => {
    const schedules = Object.values(
      data.findResources('AWS::SecretsManager::RotationSchedule'),
    ) as TemplateResource[];
    const hosted = schedules
      .map((s) => s.Properties.HostedRotationLambda as Record<string, unknown> | undefined)
      .filter((h) => h !== undefined);
    expect(hosted.map((h) => h.RotationType).sort()).toEqual([
      'PostgreSQLMultiUser',
      'PostgreSQLSingleUser',
    ]);
    for (const h of hosted) {
      expect(h.VpcSubnetIds).toBeDefined();
      expect(JSON.stringify(h.VpcSecurityGroupIds)).toContain('RotationSecurityGroup');
    }
    const multi = hosted.find((h) => h.RotationType === 'PostgreSQLMultiUser');
    expect(multi?.MasterSecretArn).toBeDefined();
    for (const schedule of schedules) {
      expect(schedule.Properties.RotationRules).toEqual({ ScheduleExpression: 'rate(30 days)' });
    }
  });

  it('rotates the Redis AUTH token with our function, which may change only that group', () => {
    data.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: Match.stringLikeRegexp('RedisAuthToken') },
      RotationLambdaARN: Match.anyValue(),
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    data.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: { REPLICATION_GROUP_ID: { Ref: Match.stringLikeRegexp('^Redis') } },
      },
    });
    const statements = identityPolicyStatements(synth).filter(({ where }) =>
      where.startsWith('data/RedisAuthRotationRole'),
    );
    const change = statements.find(({ statement }) => statement.Sid === 'ChangeAuthToken');
    expect(JSON.stringify(change?.statement.Resource)).toContain('replicationgroup:');
  });

  it('runs Redis as a replication group with automatic failover', () => {
    data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      ReplicasPerNodeGroup: 1,
      TransitEncryptionMode: 'required',
    });
  });
});

describe('prod: compute', () => {
  it('runs two Fargate services from one image: API (serve) and worker', () => {
    compute.resourceCountIs('AWS::ECS::Service', 2);
    compute.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'myfile-prod-api',
      LaunchType: 'FARGATE',
      HealthCheckGracePeriodSeconds: 60,
      LoadBalancers: Match.arrayWith([Match.objectLike({ ContainerPort: 8080 })]),
      NetworkConfiguration: {
        AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }),
      },
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
    compute.hasResourceProperties('AWS::ECS::Service', { ServiceName: 'myfile-prod-worker' });
    const commands = Object.values(compute.findResources('AWS::ECS::TaskDefinition')).flatMap((t) =>
      (
        t as { Properties: { ContainerDefinitions: Array<{ Command?: string[]; Image: unknown }> } }
      ).Properties.ContainerDefinitions.map((c) => c.Command?.join(' ')),
    );
    expect(commands).toEqual(
      expect.arrayContaining([
        'node apps/server/dist/cli.js serve --no-workers',
        'node apps/server/dist/cli.js worker',
        'node apps/server/dist/cli.js migrate',
      ]),
    );
  });

  it('health-checks the API on /readyz through the ALB and both containers on /healthz', () => {
    compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/readyz',
      Port: 8080,
      TargetType: 'ip',
    });
    const containerChecks = Object.values(compute.findResources('AWS::ECS::TaskDefinition'))
      .flatMap(
        (t) =>
          (
            t as {
              Properties: { ContainerDefinitions: Array<{ HealthCheck?: { Command: string[] } }> };
            }
          ).Properties.ContainerDefinitions,
      )
      .filter((c) => c.HealthCheck !== undefined)
      .map((c) => c.HealthCheck?.Command.join(' '));
    expect(containerChecks).toHaveLength(2);
    for (const check of containerChecks) expect(check).toMatch(/127\.0\.0\.1:8080\/healthz/);
  });

  it('serves HTTPS only and forwards only requests carrying the secret origin header', () => {
    compute.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: prodDomainContext.albCertificateArn }],
      DefaultActions: [
        Match.objectLike({
          Type: 'fixed-response',
          FixedResponseConfig: Match.objectLike({ StatusCode: '403' }),
        }),
      ],
    });
    compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 1,
      Actions: [Match.objectLike({ Type: 'forward' })],
      Conditions: [
        {
          Field: 'http-header',
          HttpHeaderConfig: {
            HttpHeaderName: 'X-Origin-Verify',
            Values: [
              {
                'Fn::Join': [
                  '',
                  Match.arrayWith([Match.stringLikeRegexp('^\\{\\{resolve:secretsmanager:')]),
                ],
              },
            ],
          },
        },
      ],
    });
    compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      ]),
    });
  });

  it('appends to X-Forwarded-For, which the hop count of TRUST_PROXY relies on', () => {
    compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.xff_header_processing.mode', Value: 'append' },
      ]),
    });
  });

  it('injects configuration and secrets the app expects', () => {
    const api = Object.values(compute.findResources('AWS::ECS::TaskDefinition'))
      .flatMap(
        (t) =>
          (
            t as {
              Properties: {
                ContainerDefinitions: Array<{
                  Command?: string[];
                  Environment?: Array<{ Name: string; Value: unknown }>;
                  Secrets?: Array<{ Name: string }>;
                }>;
              };
            }
          ).Properties.ContainerDefinitions,
      )
      .find((c) => c.Command?.includes('serve'));
    const env = Object.fromEntries((api?.Environment ?? []).map((e) => [e.Name, e.Value]));
    expect(Object.keys(env).sort()).toEqual(
      [
        'ARCHIVE_STORAGE_URL',
        'AWS_REGION',
        'DATABASE_URL',
        'DATA_DIR',
        'DEFAULT_QUOTA_BYTES',
        'HOST',
        'LOG_LEVEL',
        'MAX_UPLOAD_BYTES',
        'MIGRATE_ON_START',
        'NODE_ENV',
        'NOTIFY_SNS_TOPIC_ARN',
        'PORT',
        'PUBLIC_URL',
        'REDIS_URL',
        'SECRETS_ID',
        'STORAGE_URL',
        'TRASH_RETENTION_DAYS',
        'TRUST_PROXY',
      ].sort(),
    );
    expect(env.PORT).toBe('8080');
    // CloudFront → ALB → task: two hops, never "trust every X-Forwarded-For entry".
    expect(env.TRUST_PROXY).toBe('2');
    expect(env.MIGRATE_ON_START).toBe('false');
    expect(env.PUBLIC_URL).toBe('https://files.example.com');
    // The user comes from the rotated secret (it alternates), never from the URL.
    expect(JSON.stringify(env.DATABASE_URL)).toContain(':5432/myfile?sslmode=require');
    expect(JSON.stringify(env.DATABASE_URL)).not.toContain('@');
    expect(JSON.stringify(env.STORAGE_URL)).toMatch(/s3:\/\/.*\?region=eu-west-1/);
    expect(JSON.stringify(env.ARCHIVE_STORAGE_URL)).toMatch(/storageClass=GLACIER/);
    expect(JSON.stringify(env.REDIS_URL)).toMatch(/rediss:\/\/.*:6379/);
    expect((api?.Secrets ?? []).map((s) => s.Name).sort()).toEqual([
      'MAIL_URL',
      'PGPASSWORD',
      'PGUSER',
      'REDIS_AUTH_TOKEN',
    ]);
  });

  it('publishes archive and restore outcomes to an encrypted, TLS-only topic only the tasks may publish to', () => {
    const topics = compute.findResources('AWS::SNS::Topic', {
      Properties: { TopicName: 'myfile-prod-notifications' },
    });
    const [topicId] = Object.keys(topics);
    expect(topicId).toBeDefined();
    compute.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'myfile-prod-notifications',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotificationTopicKey'), 'Arn'] },
    });
    compute.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    compute.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: topicId },
      Protocol: 'email',
      Endpoint: 'archive-events@example.com',
    });
    const publish = identityPolicyStatements(synth).filter(
      ({ where, statement }) =>
        where.startsWith('compute/') && JSON.stringify(statement.Action).includes('sns:Publish'),
    );
    expect(publish.map(({ statement }) => statement.Resource)).toEqual([{ Ref: topicId }]);
    const env = Object.values(compute.findResources('AWS::ECS::TaskDefinition')).flatMap((t) =>
      (
        t as {
          Properties: {
            ContainerDefinitions: Array<{ Environment?: Array<{ Name: string; Value: unknown }> }>;
          };
        }
      ).Properties.ContainerDefinitions.flatMap((c) => c.Environment ?? []),
    );
    expect(env.filter((e) => e.Name === 'NOTIFY_SNS_TOPIC_ARN').map((e) => e.Value)).toContainEqual(
      { Ref: topicId },
    );
  });

  it('runs the role task and the migrations, with the new image, before the services roll', () => {
    const triggers = compute.findResources('Custom::Trigger');
    const [triggerId, trigger] = Object.entries(triggers)[0] ?? [];
    expect(Object.keys(triggers)).toHaveLength(1);
    expect(trigger).toMatchObject({ Properties: { InvocationType: 'RequestResponse' } });
    // The services wait for the trigger; the trigger waits for both task definitions.
    for (const service of Object.values(compute.findResources('AWS::ECS::Service'))) {
      expect((service as { DependsOn?: string[] }).DependsOn).toContain(triggerId);
    }
    const dependsOn = (trigger as { DependsOn?: string[] }).DependsOn ?? [];
    expect(dependsOn.some((id) => id.startsWith('MigrateTask'))).toBe(true);
    expect(dependsOn.some((id) => id.startsWith('CreateAppUserTask'))).toBe(true);
    // A new image is a new task definition, hence a new function version, hence a new run.
    const fn = Object.values(compute.findResources('AWS::Lambda::Function')).find((f) =>
      JSON.stringify(f).includes('RELEASE_TASKS'),
    ) as TemplateResource | undefined;
    const env = JSON.stringify(fn?.Properties.Environment);
    expect(env).toMatch(/create-app-user.*MigrateTask|CreateAppUserTask.*migrate/);
    expect(fn?.Properties.Timeout).toBe(840);
    const run = identityPolicyStatements(synth).find(
      ({ where, statement }) =>
        where.startsWith('compute/ReleaseTasks') && statement.Sid === 'RunReleaseTasks',
    );
    expect(JSON.stringify(run?.statement.Resource)).not.toContain('*');
    expect(run?.statement.Condition).toBeDefined();
  });

  it('keeps ECS Exec off unless breakGlass is set', () => {
    for (const service of Object.values(compute.findResources('AWS::ECS::Service'))) {
      expect((service as TemplateResource).Properties.EnableExecuteCommand).toBe(false);
    }
  });

  it('scales the API on CPU and request count, the worker on CPU and queue depth', () => {
    compute.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      }),
    });
    compute.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: Match.objectLike({
          PredefinedMetricType: 'ALBRequestCountPerTarget',
        }),
      }),
    });
    compute.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
    });
    compute.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'JobQueueDepth',
      Namespace: 'MyFile/prod',
    });
    compute.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 10,
    });
  });

  it('turns the worker queue log lines into the metrics that scale it and raise alarms', () => {
    compute.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.queueDepth >= 0 }',
      MetricTransformations: [
        {
          MetricName: 'JobQueueDepth',
          MetricNamespace: 'MyFile/prod',
          MetricValue: '$.queueDepth',
        },
      ],
    });
    compute.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.oldestJobAgeSeconds >= 0 }',
      MetricTransformations: [Match.objectLike({ MetricName: 'JobQueueOldestAgeSeconds' })],
    });
  });

  it('has the one-off task that creates the least-privilege database user', () => {
    const psql = Object.values(compute.findResources('AWS::ECS::TaskDefinition'))
      .flatMap(
        (t) =>
          (
            t as {
              Properties: {
                ContainerDefinitions: Array<{
                  Name: string;
                  Image?: unknown;
                  Environment?: Array<{ Name: string; Value: unknown }>;
                  Secrets?: Array<{ Name: string }>;
                }>;
              };
            }
          ).Properties.ContainerDefinitions,
      )
      .find((c) => c.Name === 'psql');
    const sql = psql?.Environment?.find((e) => e.Name === 'CREATE_APP_USER_SQL')?.Value;
    expect(String(sql)).toMatch(/ALTER DEFAULT PRIVILEGES/);
    // The app login is the secret's current one: myfile_app, or its clone after a rotation.
    expect((psql?.Secrets ?? []).map((s) => s.Name).sort()).toEqual([
      'APP_DB_PASSWORD',
      'APP_DB_USER',
      'PGPASSWORD',
      'PGUSER',
    ]);
    // A third-party image runs as the master user: pinned by digest, not by a movable tag.
    expect(psql?.Image).toMatch(
      /^public\.ecr\.aws\/docker\/library\/postgres:16-alpine@sha256:[0-9a-f]{64}$/,
    );
  });
});

describe('prod: secrets', () => {
  it('rotates the signing key ring every 30 days with the TypeScript Lambda', () => {
    secrets.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      RotationLambdaARN: Match.anyValue(),
    });
    secrets.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
    });
    secrets.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'myfile-prod/signing-key-ring',
      SecretString: '{"version":1,"keys":[]}',
      KmsKeyId: Match.anyValue(),
    });
  });
});

describe('prod: edge', () => {
  it('attaches a CLOUDFRONT WAF with managed rule groups and rate rules to the distribution', () => {
    edge.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'RateLimitPerIp',
          Statement: { RateBasedStatement: Match.objectLike({ Limit: 2000 }) },
        }),
        Match.objectLike({ Name: 'AWSManagedRulesCommonRuleSet' }),
        Match.objectLike({ Name: 'AWSManagedRulesKnownBadInputsRuleSet' }),
      ]),
    });
    const aclId = Object.keys(edge.findResources('AWS::WAFv2::WebACL'))[0];
    edge.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: { 'Fn::GetAtt': [aclId, 'Arn'] },
        Aliases: ['files.example.com'],
        ViewerCertificate: Match.objectLike({
          AcmCertificateArn: prodDomainContext.cloudFrontCertificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
        }),
      }),
    });
    expect(synth.stacks.edge.region).toBe('us-east-1');
  });

  it('serves the web bucket through OAC and routes /api/*, /dav/* and /readyz to the ALB over HTTPS', () => {
    edge.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    edge.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: [
          Match.objectLike({ PathPattern: '/api/*', ViewerProtocolPolicy: 'https-only' }),
          Match.objectLike({ PathPattern: '/dav/*', ViewerProtocolPolicy: 'https-only' }),
          Match.objectLike({ PathPattern: '/readyz', ViewerProtocolPolicy: 'https-only' }),
        ],
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: 'origin.files.example.com',
            CustomOriginConfig: Match.objectLike({
              OriginProtocolPolicy: 'https-only',
              OriginSSLProtocols: ['TLSv1.2'],
            }),
            // Read at deploy time from the secret's replica in us-east-1.
            OriginCustomHeaders: [
              {
                HeaderName: 'X-Origin-Verify',
                HeaderValue:
                  '{{resolve:secretsmanager:myfile-prod/origin-verify:SecretString:value::}}',
              },
            ],
          }),
        ]),
      }),
    });
    secrets.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'myfile-prod/origin-verify',
      ReplicaRegions: [{ Region: 'us-east-1' }],
    });
  });

  it('rotates the origin header: the function may change only that ALB rule and distribution', () => {
    originRotation.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      RotationLambdaARN: Match.anyValue(),
    });
    originRotation.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Timeout: 840,
      Environment: {
        Variables: Match.objectLike({
          ORIGIN_HEADER_NAME: 'X-Origin-Verify',
          LISTENER_RULE_ARN: Match.anyValue(),
          DISTRIBUTION_ID: Match.anyValue(),
        }),
      },
    });
    const statements = identityPolicyStatements(synth)
      .filter(({ where }) => where.startsWith('originRotation/'))
      .map(({ statement }) => statement);
    const rule = statements.find((s) => s.Sid === 'OriginRule');
    expect(rule?.Action).toBe('elasticloadbalancing:ModifyRule');
    expect(JSON.stringify(rule?.Resource)).not.toContain('*');
    const distribution = statements.find((s) => s.Sid === 'DistributionHeader');
    expect(JSON.stringify(distribution?.Resource)).toMatch(/distribution\//);
  });

  it('keeps the Common rule set body rules away from upload routes and blocks them elsewhere', () => {
    const acl = Object.values(edge.findResources('AWS::WAFv2::WebACL'))[0] as TemplateResource;
    const rules = acl.Properties.Rules as Array<Record<string, unknown>>;
    const common = rules.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet');
    const overrides = (
      common?.Statement as {
        ManagedRuleGroupStatement: {
          RuleActionOverrides: Array<{ Name: string; ActionToUse: unknown }>;
        };
      }
    ).ManagedRuleGroupStatement.RuleActionOverrides.map((o) => [o.Name, o.ActionToUse]);
    expect(Object.fromEntries(overrides)).toEqual({
      SizeRestrictions_BODY: { Count: {} },
      CrossSiteScripting_BODY: { Count: {} },
      GenericLFI_BODY: { Count: {} },
      GenericRFI_BODY: { Count: {} },
      EC2MetaDataSSRF_BODY: { Count: {} },
    });
    const bodyRule = rules.find((r) => r.Name === 'CommonRuleSetBodyOutsideUploads');
    expect(bodyRule?.Action).toEqual({ Block: {} });
    expect(Number(bodyRule?.Priority)).toBeGreaterThan(Number(common?.Priority));
    const json = JSON.stringify(bodyRule?.Statement);
    for (const label of ['CrossSiteScripting_Body', 'GenericLFI_Body', 'GenericRFI_Body']) {
      expect(json).toContain(`awswaf:managed:aws:core-rule-set:${label}`);
    }
    const notUpload = JSON.stringify(
      (bodyRule?.Statement as { AndStatement: { Statements: unknown[] } }).AndStatement
        .Statements[1],
    );
    expect(notUpload).toContain('NotStatement');
    for (const route of ['/api/uploads', '/dav/', '^/api/folders/[^/]+/files$']) {
      expect(notUpload).toContain(JSON.stringify(route).slice(1, -1));
    }
  });

  it('logs WAF decisions (credentials redacted) and CloudFront requests', () => {
    edge.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: Match.anyValue(),
      LogDestinationConfigs: [Match.stringLikeRegexp(':log-group:aws-waf-logs-myfile-prod$')],
      RedactedFields: [
        { SingleHeader: { Name: 'authorization' } },
        { SingleHeader: { Name: 'cookie' } },
      ],
    });
    edge.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-myfile-prod' });
    edge.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });
});

describe('prod: alarms that fire', () => {
  it('fires on a dead or stalled worker, treating silence as breaching', () => {
    const [worker] = alarmDescribed(observability, 'Worker service runs fewer tasks than desired');
    expect(worker?.Properties).toMatchObject({
      TreatMissingData: 'breaching',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
    expect(JSON.stringify(worker?.Properties.Metrics)).toContain('RunningTaskCount');
    const [queue] = alarmDescribed(observability, 'Oldest queued job older than');
    expect(queue?.Properties.TreatMissingData).toBe('breaching');
  });

  it('fires on Redis CPU and evictions on every node, RDS connections and freeable memory', () => {
    expect(alarmDescribed(observability, 'Redis engine CPU')).toHaveLength(2);
    expect(alarmDescribed(observability, 'Redis evicts keys')).toHaveLength(2);
    const [connections] = alarmDescribed(observability, 'RDS connections above 80%');
    // db.r7g.large: 16 GiB → max_connections 1802.
    expect(connections?.Properties.Threshold).toBe(1441);
    const [memory] = alarmDescribed(observability, 'RDS freeable memory');
    expect(memory?.Properties.ComparisonOperator).toBe('LessThanThreshold');
  });

  it('fires on CloudFront 5xx and WAF blocked spikes, from us-east-1 to a topic there', () => {
    const [cf] = alarmDescribed(edge, 'CloudFront 5xx');
    expect(cf?.Properties).toMatchObject({
      Namespace: 'AWS/CloudFront',
      MetricName: '5xxErrorRate',
    });
    const [waf] = alarmDescribed(edge, 'WAF blocked');
    expect(waf?.Properties).toMatchObject({
      Namespace: 'AWS/WAFV2',
      MetricName: 'BlockedRequests',
    });
    edge.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'myfile-prod-alarms-edge' });
    edge.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: 'ops@example.com' });
  });

  it('fires on a failed rotation: any secret, and each of our rotation functions', () => {
    observability.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.secretsmanager'],
        'detail-type': ['AWS Service Event via CloudTrail'],
        detail: { eventName: ['RotationFailed', 'RotationAbandoned'] },
      },
    });
    alarmDescribed(observability, 'A secret rotation failed');
    for (const name of ['SigningKeyRing', 'RedisAuth', 'OriginHeader']) {
      const [alarm] = alarmDescribed(observability, `The ${name} rotation function failed`);
      expect(alarm?.Properties.MetricName).toBe('Errors');
    }
  });
});

describe('prod: observability', () => {
  it('sends every alarm to the SNS topic', () => {
    const alarms = Object.values(observability.findResources('AWS::CloudWatch::Alarm')) as Array<{
      Properties: { AlarmActions?: unknown[]; AlarmDescription?: string };
    }>;
    const descriptions = alarms.map((a) => a.Properties.AlarmDescription ?? '').join('\n');
    for (const topic of ['5xx', 'p99', 'RDS CPU', 'free storage', 'queued job', 'Redis memory']) {
      expect(descriptions).toContain(topic);
    }
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    observability.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    observability.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('synthesises without warnings when a domain and certificates are configured', () => {
    expect(warningsOf(synth)).toEqual([]);
  });
});
