import {
  Annotations,
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { alarmTo, createAlarmTopic } from './alarm-topic.js';
import { resourcePrefix, type EnvironmentConfig } from './config.js';
import { ORIGIN_VERIFY_HEADER, READINESS_PATH } from './constants.js';
import { addWebRecords } from './dns-records.js';
import type { MyFileStackProps } from './stack-props.js';

export interface EdgeStackProps extends MyFileStackProps {
  /** Used as the `/api/*` origin only when no `apiOriginDomainName` is configured. */
  loadBalancer: elbv2.IApplicationLoadBalancer;
  /** Name of the origin header secret; its replica in this region is read at deploy time. */
  originSecretName: string;
}

/** Paths whose request bodies are users' files: multipart, tus and WebDAV uploads. */
export const UPLOAD_ROUTES = {
  prefixes: ['/api/uploads', '/dav/'],
  patterns: ['^/api/folders/[^/]+/files$'],
} as const;

/**
 * Common rule set rules that inspect the request body. They count (and label) everywhere;
 * a rule of ours blocks on their labels except on upload routes, where a body is any file.
 */
const BODY_RULES = [
  { rule: 'CrossSiteScripting_BODY', label: 'CrossSiteScripting_Body' },
  { rule: 'GenericLFI_BODY', label: 'GenericLFI_Body' },
  { rule: 'GenericRFI_BODY', label: 'GenericRFI_Body' },
  { rule: 'EC2MetaDataSSRF_BODY', label: 'EC2MetaDataSSRF_Body' },
] as const;

/** Paths without a file extension are client-side routes of the single-page app. */
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) { request.uri = '/index.html'; }
  return request;
}`;

/**
 * CloudFront in front of everything: static web assets from a private bucket (OAC) and
 * `/api/*` to the ALB, so the browser sees one origin (SameSite cookies, no CORS), and
 * one WAF web ACL protects both. Lives in us-east-1 because CLOUDFRONT-scoped WAF ACLs
 * and CloudFront certificates must.
 */
export class EdgeStack extends Stack {
  readonly webBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly webAcl: wafv2.CfnWebACL;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const webKey = new kms.Key(this, 'WebAssetsKey', {
      description: `${resourcePrefix(config)} web assets`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // CloudFront standard logs need ACLs on their bucket; S3 access logs of the web bucket
    // land here too. Nothing else is ever written to it.
    const logsBucket = new s3.Bucket(this, 'EdgeLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy,
    });
    Validations.of(logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the log bucket; logging its own access would log the logging.',
    });

    this.webBucket = new s3.Bucket(this, 'WebAssets', {
      serverAccessLogsBucket: logsBucket,
      serverAccessLogsPrefix: 'web-assets/',
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: webKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
    });

    this.webAcl = createWebAcl(this, config);
    this.logWebAcl(config);

    const spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Serve index.html for client-side routes',
    });

    const certificate =
      config.domain.cloudFrontCertificateArn === undefined
        ? undefined
        : acm.Certificate.fromCertificateArn(
            this,
            'Certificate',
            config.domain.cloudFrontCertificateArn,
          );

    const appBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin(config, props.loadBalancer, props.originSecretName),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Cookies, Origin (checked on the WebSocket), CSRF header, Range, tus and WebDAV headers.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      compress: true,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${resourcePrefix(config)} web and API`,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass:
        config.name === 'prod'
          ? cloudfront.PriceClass.PRICE_CLASS_ALL
          : cloudfront.PriceClass.PRICE_CLASS_100,
      webAclId: this.webAcl.attrArn,
      enableLogging: true,
      logBucket: logsBucket,
      logFilePrefix: 'cloudfront/',
      ...(certificate === undefined || config.domain.webDomainName === undefined
        ? {}
        : {
            certificate,
            domainNames: [config.domain.webDomainName],
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }),
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.webBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: true,
        functionAssociations: [
          { function: spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: Object.fromEntries(APP_PATHS.map((path) => [path, appBehavior])),
    });
    if (config.domain.apiOriginDomainName === undefined) {
      // Only dev gets here: staging and prod refuse to synthesise without certificates.
      for (const id of ['AwsSolutions-CFR4', 'AwsSolutions-CFR5']) {
        Validations.of(this.distribution).acknowledge({
          id,
          reason: `${config.name} has no certificates: the default *.cloudfront.net name and a plain-HTTP origin, announced at synth.`,
        });
      }
    }
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'A file service for its users wherever they are: no country is refused.',
    });

    // OAC on an SSE-KMS bucket: the key policy matches any distribution of this account to
    // avoid a deploy-time cycle; the bucket policy still admits only this distribution.
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac',
      'Bucket policy scopes access to this distribution',
    );

    this.alarmTopic = createAlarmTopic(this, config, '-edge');
    this.addAlarms(config);
    addWebRecords(this, config, this.distribution, this.alarmTopic);

    new CfnOutput(this, 'WebBucketName', { value: this.webBucket.bucketName });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.distribution.distributionDomainName,
    });
  }

  /** WAF logs (CloudWatch Logs) so a false positive can be found and its rule scoped. */
  private logWebAcl(config: EnvironmentConfig): void {
    // WAF requires the name prefix aws-waf-logs-.
    const name = `aws-waf-logs-${resourcePrefix(config)}`;
    const logGroup = new logs.LogGroup(this, 'WafLogs', {
      logGroupName: name,
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        this.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: name,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Session cookies and bearer tokens never reach the log.
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'cookie' } },
      ],
    });
    logging.node.addDependency(logGroup);
  }

  /** CloudFront and WAF metrics exist only in us-east-1, so their alarms live here. */
  private addAlarms(config: EnvironmentConfig): void {
    const distribution5xx = new cloudwatch.Metric({
      namespace: 'AWS/CloudFront',
      metricName: '5xxErrorRate',
      dimensionsMap: { DistributionId: this.distribution.distributionId, Region: 'Global' },
      statistic: 'Average',
      period: Duration.minutes(5),
    });
    alarmTo(this, this.alarmTopic, 'CloudFront5xxRate', distribution5xx, {
      threshold: config.alarms.errorRatePercent,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: `CloudFront 5xx above ${config.alarms.errorRatePercent}% of requests (origin failing or unreachable)`,
    });
    const blocked = new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: this.webAcl.name ?? '', Rule: 'ALL' },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    alarmTo(this, this.alarmTopic, 'WafBlockedSpike', blocked, {
      threshold: config.alarms.wafBlockedPer5Min,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      description: `WAF blocked more than ${config.alarms.wafBlockedPer5Min} requests per 5 minutes (attack, or a rule blocking real users)`,
    });
  }
}

/**
 * Served by the app behind the ALB; everything else is the web bucket. `/readyz` is what the
 * Route 53 health check asks for, through the whole path a user's request takes.
 */
const APP_PATHS = ['/api/*', '/dav/*', READINESS_PATH];

function apiOrigin(
  config: EnvironmentConfig,
  loadBalancer: elbv2.IApplicationLoadBalancer,
  originSecretName: string,
): cloudfront.IOrigin {
  const common = {
    readTimeout: Duration.seconds(60),
    keepaliveTimeout: Duration.seconds(60),
    // Resolved by CloudFormation from the secret's replica here; rotated in place.
    customHeaders: {
      [ORIGIN_VERIFY_HEADER]: SecretValue.secretsManager(originSecretName, {
        jsonField: 'value',
      }).unsafeUnwrap(),
    },
  };
  if (config.domain.apiOriginDomainName === undefined) {
    // No certificate for the ALB: only acceptable for dev, flagged by a synth warning.
    return new origins.HttpOrigin(loadBalancer.loadBalancerDnsName, {
      ...common,
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
    });
  }
  return new origins.HttpOrigin(config.domain.apiOriginDomainName, {
    ...common,
    protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
  });
}

function managedRuleGroup(
  name: string,
  priority: number,
  ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ...(ruleActionOverrides === undefined ? {} : { ruleActionOverrides }),
      },
    },
    visibilityConfig: {
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: name,
    },
  };
}

function rateRule(
  name: string,
  priority: number,
  limit: number,
  uriPrefix?: string,
): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    action: { block: {} },
    statement: {
      rateBasedStatement: {
        limit,
        aggregateKeyType: 'IP',
        evaluationWindowSec: 300,
        ...(uriPrefix === undefined
          ? {}
          : {
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: uriPrefix,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            }),
      },
    },
    visibilityConfig: {
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: name,
    },
  };
}

function createWebAcl(scope: Construct, config: EnvironmentConfig): wafv2.CfnWebACL {
  return new wafv2.CfnWebACL(scope, 'WebAcl', {
    name: `${resourcePrefix(config)}-edge`,
    scope: 'CLOUDFRONT',
    defaultAction: { allow: {} },
    visibilityConfig: {
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${resourcePrefix(config)}-edge`,
    },
    rules: [
      rateRule('RateLimitPerIp', 0, config.waf.requestsPer5MinPerIp),
      rateRule('AuthRateLimitPerIp', 1, config.waf.authRequestsPer5MinPerIp, '/api/auth/'),
      managedRuleGroup('AWSManagedRulesAmazonIpReputationList', 2),
      // Bodies are users' files on upload routes: the body rules count (and label) here,
      // and the next rule blocks on their labels everywhere else. Uploads are also far above
      // the size rule's limit, so it only counts.
      managedRuleGroup('AWSManagedRulesCommonRuleSet', 3, [
        { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
        ...BODY_RULES.map(({ rule }) => ({ name: rule, actionToUse: { count: {} } })),
      ]),
      bodyRulesOutsideUploads(4),
      managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 5),
    ],
  });
}

const uriPath = { uriPath: {} };
const noTransformation = [{ priority: 0, type: 'NONE' }];

function bodyRulesOutsideUploads(priority: number): wafv2.CfnWebACL.RuleProperty {
  const uploadRoute: wafv2.CfnWebACL.StatementProperty = {
    orStatement: {
      statements: [
        ...UPLOAD_ROUTES.prefixes.map((prefix) => ({
          byteMatchStatement: {
            fieldToMatch: uriPath,
            positionalConstraint: 'STARTS_WITH',
            searchString: prefix,
            textTransformations: noTransformation,
          },
        })),
        ...UPLOAD_ROUTES.patterns.map((pattern) => ({
          regexMatchStatement: {
            fieldToMatch: uriPath,
            regexString: pattern,
            textTransformations: noTransformation,
          },
        })),
      ],
    },
  };
  return {
    name: 'CommonRuleSetBodyOutsideUploads',
    priority,
    action: { block: {} },
    statement: {
      andStatement: {
        statements: [
          {
            orStatement: {
              statements: BODY_RULES.map(({ label }) => ({
                labelMatchStatement: {
                  scope: 'LABEL',
                  key: `awswaf:managed:aws:core-rule-set:${label}`,
                },
              })),
            },
          },
          { notStatement: { statement: uploadRoute } },
        ],
      },
    },
    visibilityConfig: {
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: 'CommonRuleSetBodyOutsideUploads',
    },
  };
}
