import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { alarmTo } from './alarm-topic.js';
import type { EnvironmentConfig } from './config.js';
import { READINESS_PATH } from './constants.js';

/** The public zone from context, by its id and name: no lookup, so synth stays offline. */
function publicZone(scope: Construct, config: EnvironmentConfig): route53.IHostedZone | undefined {
  const zone = config.hostedZone;
  if (zone === undefined) return undefined;
  return route53.PublicHostedZone.fromHostedZoneAttributes(scope, 'PublicZone', {
    hostedZoneId: zone.id,
    zoneName: zone.name,
  });
}

/**
 * `webDomainName` → CloudFront (A and AAAA aliases), and a Route 53 health check that asks
 * `/readyz` through CloudFront, the WAF, the ALB and a task, so it fails whenever users would.
 * Its metric only exists in us-east-1, like the Edge stack, where the alarm lives.
 */
export function addWebRecords(
  scope: Construct,
  config: EnvironmentConfig,
  distribution: cloudfront.IDistribution,
  alarmTopic: sns.ITopic,
): route53.HealthCheck | undefined {
  const zone = publicZone(scope, config);
  const name = config.domain.webDomainName;
  if (zone === undefined || name === undefined) return undefined;
  const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution));
  new route53.ARecord(scope, 'WebAlias', { zone, recordName: name, target });
  new route53.AaaaRecord(scope, 'WebAliasIpv6', { zone, recordName: name, target });
  const healthCheck = new route53.HealthCheck(scope, 'WebHealthCheck', {
    type: route53.HealthCheckType.HTTPS,
    fqdn: name,
    port: 443,
    resourcePath: READINESS_PATH,
    requestInterval: Duration.seconds(30),
    failureThreshold: 3,
    measureLatency: true,
  });
  alarmTo(
    scope,
    alarmTopic,
    'WebHealthCheckFailed',
    new cloudwatch.Metric({
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensionsMap: { HealthCheckId: healthCheck.healthCheckId },
      statistic: 'Minimum',
      period: Duration.minutes(1),
    }),
    {
      threshold: 1,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      description: `Route 53 health checkers cannot get ${READINESS_PATH} through https://${name} (site down for users)`,
    },
  );
  return healthCheck;
}

/** `apiOriginDomainName` → the ALB (the name its certificate covers; CloudFront connects to it). */
export function addOriginRecord(
  scope: Construct,
  config: EnvironmentConfig,
  loadBalancer: elbv2.IApplicationLoadBalancer,
): void {
  const zone = publicZone(scope, config);
  const name = config.domain.apiOriginDomainName;
  if (zone === undefined || name === undefined) return;
  new route53.ARecord(scope, 'OriginAlias', {
    zone,
    recordName: name,
    target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer)),
  });
}
