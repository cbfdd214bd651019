import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from './config.js';
import { ROTATION_LAMBDA_RUNTIME, ROTATION_LAMBDA_TARGET } from './constants.js';
import { repoRoot } from './paths.js';

export interface TypeScriptFunctionProps {
  config: EnvironmentConfig;
  entry: string;
  description: string;
  environment?: Record<string, string>;
  timeout?: Duration;
}

/**
 * A TypeScript function of infra/lambda/*, bundled with esbuild, with a role of its own
 * that may write only to its own log group (no AWS managed policy).
 */
export function createTypeScriptFunction(
  scope: Construct,
  id: string,
  props: TypeScriptFunctionProps,
): lambdaNodejs.NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: props.config.logRetentionDays,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.description,
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'OwnLogGroup',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  const fn = new lambdaNodejs.NodejsFunction(scope, id, {
    description: props.description,
    entry: props.entry,
    projectRoot: repoRoot,
    depsLockFilePath: `${repoRoot}package-lock.json`,
    handler: 'handler',
    runtime: ROTATION_LAMBDA_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: props.timeout ?? Duration.seconds(30),
    role,
    logGroup,
    ...(props.environment === undefined ? {} : { environment: props.environment }),
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
  return fn;
}

/** A Secrets Manager rotation function: RotationSchedule grants it GetRandomPassword. */
export function createRotationFunction(
  scope: Construct,
  id: string,
  props: TypeScriptFunctionProps,
): lambdaNodejs.NodejsFunction {
  const fn = createTypeScriptFunction(scope, id, props);
  if (fn.role !== undefined) {
    Validations.of(fn.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'secretsmanager:GetRandomPassword has no resource-level permissions in IAM.',
    });
  }
  return fn;
}
