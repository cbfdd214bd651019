import { Tags, type App, type Environment } from 'aws-cdk-lib';
import { CognitoStack, COGNITO_PROVIDER_ID } from './cognito-stack.js';
import { ComputeStack } from './compute-stack.js';
import { loadEnvironmentConfig, type EnvironmentConfig } from './config.js';
import { DataStack } from './data-stack.js';
import { EdgeStack } from './edge-stack.js';
import { NetworkStack } from './network-stack.js';
import { ObservabilityStack } from './observability-stack.js';
import { OriginRotationStack } from './origin-rotation-stack.js';
import { SecretsStack } from './secrets-stack.js';
import { StorageStack } from './storage-stack.js';
import { EDGE_REGION } from './constants.js';
import { loadPipelineConfig } from './pipeline-config.js';
import { PipelineStack } from './pipeline-stack.js';

export { EDGE_REGION };

export interface MyFileStacks {
  config: EnvironmentConfig;
  network: NetworkStack;
  secrets: SecretsStack;
  storage: StorageStack;
  data: DataStack;
  compute: ComputeStack;
  edge: EdgeStack;
  originRotation: OriginRotationStack;
  observability: ObservabilityStack;
  /** Only with `-c cognito=true`. */
  cognito: CognitoStack | undefined;
}

/** Adds every stack of one environment (`-c env=dev|staging|prod`) to the app. */
export function buildMyFileApp(app: App): MyFileStacks {
  const config = loadEnvironmentConfig(app.node);
  const env: Environment = { account: config.account, region: config.region };
  const crossRegionReferences = config.region !== EDGE_REGION;
  const name = (stack: string) => `MyFile-${config.name}-${stack}`;
  const common = { env, config, crossRegionReferences };

  const network = new NetworkStack(app, name('Network'), {
    ...common,
    description: 'My File: VPC, subnets, NAT, endpoints, flow logs, security groups',
  });
  const secrets = new SecretsStack(app, name('Secrets'), {
    ...common,
    description: 'My File: signing key ring secret with 30-day rotation',
  });
  const storage = new StorageStack(app, name('Storage'), {
    ...common,
    description: 'My File: files and archive buckets',
    s3Endpoint: network.s3Endpoint,
  });
  const data = new DataStack(app, name('Data'), {
    ...common,
    description: 'My File: RDS PostgreSQL and ElastiCache Redis',
    vpc: network.vpc,
    databaseSecurityGroup: network.databaseSecurityGroup,
    redisSecurityGroup: network.redisSecurityGroup,
    rotationSecurityGroup: network.rotationSecurityGroup,
  });
  const cognito =
    config.cognito === undefined
      ? undefined
      : new CognitoStack(app, name('Cognito'), {
          ...common,
          description: 'My File: Cognito user pool, managed login and the app client (OIDC)',
          cognito: config.cognito,
        });
  const compute = new ComputeStack(app, name('Compute'), {
    ...common,
    description: 'My File: ECS Fargate API and worker behind an ALB',
    vpc: network.vpc,
    albSecurityGroup: network.albSecurityGroup,
    appSecurityGroup: network.appSecurityGroup,
    filesBucket: storage.filesBucket,
    archiveBucket: storage.archiveBucket,
    bucketAccessPolicy: storage.appAccessPolicy,
    storageKey: storage.dataKey,
    database: data.database,
    masterSecret: data.masterSecret,
    appUserSecret: data.appUserSecret,
    redisEndpoint: data.redisEndpoint,
    redisAuthSecret: data.redisAuthSecret,
    keyRingSecret: secrets.keyRingSecret,
    keyRingKey: secrets.keyRingKey,
    originSecret: secrets.originSecret,
    ...(cognito === undefined
      ? {}
      : {
          oidcProvider: {
            id: COGNITO_PROVIDER_ID,
            label: 'My File account',
            issuer: cognito.issuerUrl,
            clientId: cognito.client.userPoolClientId,
            clientSecret: cognito.clientSecret,
          },
        }),
  });
  const edge = new EdgeStack(app, name('Edge'), {
    ...common,
    env: { account: config.account, region: EDGE_REGION },
    description: 'My File: CloudFront, WAF and the web assets bucket',
    loadBalancer: compute.loadBalancer,
    originSecretName: secrets.originSecretName,
  });
  edge.addStackDependency(secrets, 'the origin secret replica must exist in us-east-1');
  const originRotation = new OriginRotationStack(app, name('OriginRotation'), {
    ...common,
    description: 'My File: rotation of the origin header secret between CloudFront and the ALB',
    originSecret: secrets.originSecret,
    originRule: compute.originRule,
    distributionId: edge.distribution.distributionId,
  });
  const observability = new ObservabilityStack(app, name('Observability'), {
    ...common,
    description: 'My File: alarms, alarm topic and dashboard',
    loadBalancer: compute.loadBalancer,
    targetGroup: compute.targetGroup,
    apiService: compute.apiService,
    workerService: compute.workerService,
    database: data.database,
    redisReplicationGroupId: data.redis.ref,
    queueDepthMetric: compute.queueDepthMetric,
    queueAgeMetric: compute.queueAgeMetric,
    clusterName: compute.cluster.clusterName,
    rotationFunctions: {
      SigningKeyRing: secrets.keyRingRotation,
      RedisAuth: data.redisRotation,
      OriginHeader: originRotation.rotationFunction,
    },
  });

  const stacks = [
    network,
    secrets,
    storage,
    data,
    compute,
    edge,
    originRotation,
    observability,
    ...(cognito === undefined ? [] : [cognito]),
  ];
  for (const stack of stacks) {
    Tags.of(stack).add('app', 'myfile');
    Tags.of(stack).add('environment', config.name);
  }
  return {
    config,
    network,
    secrets,
    storage,
    data,
    compute,
    edge,
    originRotation,
    observability,
    cognito,
  };
}

/** `-c pipeline=true`: the release pipeline, one stack beside the environments it deploys. */
export function buildPipelineApp(app: App): PipelineStack {
  const pipeline = loadPipelineConfig(app.node);
  const stack = new PipelineStack(app, 'MyFile-Pipeline', {
    env: { account: pipeline.account, region: pipeline.region },
    description: 'My File: release pipeline (test, image, staging, approval, prod)',
    pipeline,
  });
  Tags.of(stack).add('app', 'myfile');
  return stack;
}
