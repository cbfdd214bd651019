import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadEnvironmentConfig } from '../lib/config.js';

const load = (context: Record<string, string>) => loadEnvironmentConfig(new App({ context }).node);

describe('loadEnvironmentConfig', () => {
  it('defaults to dev', () => {
    expect(load({}).name).toBe('dev');
  });

  it('rejects an unknown environment', () => {
    expect(() => load({ env: 'production' })).toThrow(/dev, staging, prod/);
  });

  it('sizes prod for availability: NAT per AZ, Multi-AZ memory-optimised database', () => {
    const prod = load({ env: 'prod' });
    expect(prod.natGateways).toBe(2);
    expect(prod.database).toMatchObject({
      multiAz: true,
      instanceClass: 'r7g',
      deletionProtection: true,
    });
    expect(prod.redis.replicas).toBeGreaterThan(0);
    expect(prod.cognito.enabled).toBe(false);
  });

  it('derives AZs for another region so synth stays offline', () => {
    expect(load({ env: 'prod', region: 'us-west-2' }).availabilityZones).toEqual([
      'us-west-2a',
      'us-west-2b',
    ]);
  });

  it('requires the CloudFront certificate to be in us-east-1', () => {
    expect(() =>
      load({
        env: 'prod',
        webDomainName: 'files.example.com',
        cloudFrontCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x',
      }),
    ).toThrow(/us-east-1/);
  });

  it('requires a domain and its certificate together', () => {
    expect(() => load({ apiOriginDomainName: 'origin.example.com' })).toThrow(/go together/);
    expect(() => load({ webDomainName: 'files.example.com' })).toThrow(/go together/);
  });
});
