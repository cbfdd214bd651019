import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { resourcePrefix } from './config.js';
import {
  KEY_RING_ROTATION_DAYS,
  ROTATION_LAMBDA_RUNTIME,
  ROTATION_LAMBDA_TARGET,
} from './constants.js';
import { keyRotationEntry, repoRoot } from './paths.js';
import type { MyFileStackProps } from './stack-props.js';

/**
 * The token-signing key ring (read by the app through `SECRETS_ID`) and the Lambda that
 * rotates it every 30 days. Database and Redis credentials live with their resources.
 */
export class SecretsStack extends Stack {
  readonly keyRingSecret: secretsmanager.Secret;
  readonly keyRingKey: kms.Key;

  constructor(scope: Construct, id: string, props: MyFileStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.keyRingKey = new kms.Key(this, 'KeyRingKey', {
      description: `${resourcePrefix(config)} signing key ring`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // Starts empty on purpose: Secrets Manager rotates immediately when the schedule is
    // created, so the Lambda writes the first real key before the app stacks deploy.
    this.keyRingSecret = new secretsmanager.Secret(this, 'KeyRing', {
      secretName: `${resourcePrefix(config)}/signing-key-ring`,
      description: 'Token signing key ring: {"version":1,"keys":[...]}; rotated every 30 days',
      encryptionKey: this.keyRingKey,
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ version: 1, keys: [] })),
      removalPolicy,
    });

    const rotationFunction = new lambdaNodejs.NodejsFunction(this, 'KeyRingRotation', {
      description: 'Adds a signing key to the ring and retires expired keys',
      entry: keyRotationEntry,
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      handler: 'handler',
      runtime: ROTATION_LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      logGroup: new logs.LogGroup(this, 'KeyRingRotationLogs', {
        retention: config.logRetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      bundling: {
        format: lambdaNodejs.OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: ROTATION_LAMBDA_TARGET,
        // The Lambda Node.js runtimes ship AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
      },
    });

    this.keyRingSecret.addRotationSchedule('Rotation', {
      rotationLambda: rotationFunction,
      automaticallyAfter: Duration.days(KEY_RING_ROTATION_DAYS),
    });
  }
}
