import { Duration, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { resourcePrefix } from './config.js';
import { EDGE_REGION, KEY_RING_ROTATION_DAYS } from './constants.js';
import { keyRotationEntry } from './paths.js';
import { createRotationFunction } from './rotation-function.js';
import type { MyFileStackProps } from './stack-props.js';

/**
 * The token-signing key ring (read by the app through `SECRETS_ID`) with the Lambda that
 * rotates it every 30 days, and the origin header secret CloudFront sends and the ALB checks.
 * Database and Redis credentials live with their resources.
 */
export class SecretsStack extends Stack {
  readonly keyRingSecret: secretsmanager.Secret;
  readonly keyRingKey: kms.Key;
  readonly keyRingRotation: lambda.IFunction;
  /** `{"value": "…"}`; replicated to us-east-1, where CloudFront's configuration reads it. */
  readonly originSecret: secretsmanager.Secret;
  readonly originSecretName: string;

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

    const rotationFunction = createRotationFunction(this, 'KeyRingRotation', {
      config,
      entry: keyRotationEntry,
      description: 'Adds a signing key to the ring and retires expired keys',
    });
    this.keyRingRotation = rotationFunction;
    this.keyRingSecret.addRotationSchedule('Rotation', {
      rotationLambda: rotationFunction,
      automaticallyAfter: Duration.days(KEY_RING_ROTATION_DAYS),
    });

    this.originSecretName = `${resourcePrefix(config)}/origin-verify`;
    this.originSecret = new secretsmanager.Secret(this, 'OriginVerify', {
      secretName: this.originSecretName,
      description:
        'Value of the X-Origin-Verify header CloudFront adds to API requests; the ALB forwards nothing without it',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'value',
        excludePunctuation: true,
        passwordLength: 48,
      },
      // CloudFront's configuration lives in us-east-1 and resolves the secret there.
      ...(this.region === EDGE_REGION ? {} : { replicaRegions: [{ region: EDGE_REGION }] }),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated every 30 days by the schedule in the OriginRotation stack, which needs the ALB rule and the distribution made after this stack.',
    });
  }
}
