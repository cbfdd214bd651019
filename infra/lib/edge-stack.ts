import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { resourcePrefix, type EnvironmentConfig } from './config.js';
import type { MyFileStackProps } from './stack-props.js';

export interface EdgeStackProps extends MyFileStackProps {
  /** Used as the `/api/*` origin only when no `apiOriginDomainName` is configured. */
  loadBalancer: elbv2.IApplicationLoadBalancer;
}

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

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const webKey = new kms.Key(this, 'WebAssetsKey', {
      description: `${resourcePrefix(config)} web assets`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.webBucket = new s3.Bucket(this, 'WebAssets', {
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

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${resourcePrefix(config)} web and API`,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass:
        config.name === 'prod'
          ? cloudfront.PriceClass.PRICE_CLASS_ALL
          : cloudfront.PriceClass.PRICE_CLASS_100,
      webAclId: this.webAcl.attrArn,
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
      additionalBehaviors: {
        '/api/*': {
          origin: apiOrigin(config, props.loadBalancer),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Cookies, Origin (checked on the WebSocket), CSRF header, Range, tus headers.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          compress: true,
        },
      },
    });

    // OAC on an SSE-KMS bucket: the key policy matches any distribution of this account to
    // avoid a deploy-time cycle; the bucket policy still admits only this distribution.
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac',
      'Bucket policy scopes access to this distribution',
    );

    new CfnOutput(this, 'WebBucketName', { value: this.webBucket.bucketName });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.distribution.distributionDomainName,
    });
  }
}

function apiOrigin(
  config: EnvironmentConfig,
  loadBalancer: elbv2.IApplicationLoadBalancer,
): cloudfront.IOrigin {
  const common = {
    readTimeout: Duration.seconds(60),
    keepaliveTimeout: Duration.seconds(60),
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
      // Uploads are request bodies far above the rule set's 8 KB limit: count, don't block.
      managedRuleGroup('AWSManagedRulesCommonRuleSet', 3, [
        { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
      ]),
      managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 4),
    ],
  });
}
