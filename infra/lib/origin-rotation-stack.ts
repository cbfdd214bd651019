import { Duration, Stack } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { CREDENTIAL_ROTATION_DAYS, ORIGIN_VERIFY_HEADER } from './constants.js';
import { originRotationEntry } from './paths.js';
import { createRotationFunction } from './rotation-function.js';
import type { MyFileStackProps } from './stack-props.js';

export interface OriginRotationStackProps extends MyFileStackProps {
  originSecret: secretsmanager.ISecret;
  originRule: elbv2.ApplicationListenerRule;
  distributionId: string;
}

/**
 * Rotates the origin header secret every 30 days (infra/lambda/origin-secret-rotation):
 * the ALB accepts old and new while CloudFront deploys the new value, then only the new.
 * A stack of its own because it needs both the ALB rule (app region) and the distribution
 * (us-east-1), which are created in that order.
 */
export class OriginRotationStack extends Stack {
  readonly rotationFunction: lambda.IFunction;

  constructor(scope: Construct, id: string, props: OriginRotationStackProps) {
    super(scope, id, props);
    const fn = createRotationFunction(this, 'OriginSecretRotation', {
      config: props.config,
      entry: originRotationEntry,
      description: 'Rotates the X-Origin-Verify header between CloudFront and the ALB',
      environment: {
        ORIGIN_HEADER_NAME: ORIGIN_VERIFY_HEADER,
        LISTENER_RULE_ARN: props.originRule.listenerRuleArn,
        DISTRIBUTION_ID: props.distributionId,
      },
      // testSecret waits for CloudFront to deploy the new header to every edge.
      timeout: Duration.minutes(14),
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'OriginRule',
        actions: ['elasticloadbalancing:ModifyRule'],
        resources: [props.originRule.listenerRuleArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DistributionHeader',
        actions: [
          'cloudfront:GetDistribution',
          'cloudfront:GetDistributionConfig',
          'cloudfront:UpdateDistribution',
        ],
        resources: [
          this.formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: props.distributionId,
          }),
        ],
      }),
    );
    // In this stack, not on the secret: the schedule needs the function, made after it.
    new secretsmanager.RotationSchedule(this, 'OriginSecretRotationSchedule', {
      secret: props.originSecret,
      rotationLambda: fn,
      automaticallyAfter: Duration.days(CREDENTIAL_ROTATION_DAYS),
    });
    this.rotationFunction = fn;
  }
}
