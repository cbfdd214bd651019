import { CloudFront } from '@aws-sdk/client-cloudfront';
import { ElasticLoadBalancingV2 } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SecretsManager } from '@aws-sdk/client-secrets-manager';
import { createOriginRotationHandler } from './origin-rotation.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};

export const handler = createOriginRotationHandler({
  secrets: new SecretsManager({}),
  // CloudFront's API lives in us-east-1 whatever region this function runs in.
  cloudFront: new CloudFront({ region: 'us-east-1' }),
  loadBalancer: new ElasticLoadBalancingV2({}),
  target: {
    headerName: required('ORIGIN_HEADER_NAME'),
    listenerRuleArn: required('LISTENER_RULE_ARN'),
    distributionId: required('DISTRIBUTION_ID'),
  },
});
