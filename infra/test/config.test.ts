import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadEnvironmentConfig } from '../lib/config.js';

const load = (context: Record<string, string>) => loadEnvironmentConfig(new App({ context }).node);
const domain = {
  webDomainName: 'files.example.com',
  cloudFrontCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
  apiOriginDomainName: 'origin.files.example.com',
  albCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/y',
};

describe('loadEnvironmentConfig', () => {
  it('defaults to dev', () => {
    expect(load({}).name).toBe('dev');
  });

  it('rejects an unknown environment', () => {
    expect(() => load({ env: 'production' })).toThrow(/dev, staging, prod/);
  });

  it('sizes prod for availability: NAT per AZ, Multi-AZ memory-optimised database', () => {
    const prod = load({ env: 'prod', ...domain });
    expect(prod.natGateways).toBe(2);
    expect(prod.database).toMatchObject({
      multiAz: true,
      instanceClass: 'r7g',
      deletionProtection: true,
    });
    expect(prod.redis.replicas).toBeGreaterThan(0);
  });

  it('derives AZs for another region so synth stays offline', () => {
    expect(load({ env: 'prod', ...domain, region: 'us-west-2' }).availabilityZones).toEqual([
      'us-west-2a',
      'us-west-2b',
    ]);
  });

  it('takes a hosted zone only with names inside it', () => {
    const zone = { hostedZoneId: 'Z0123456789EXAMPLE', hostedZoneName: 'example.com.' };
    expect(load({ env: 'prod', ...domain, ...zone }).hostedZone).toEqual({
      id: 'Z0123456789EXAMPLE',
      name: 'example.com.',
    });
    expect(() => load({ env: 'prod', ...domain, ...zone, hostedZoneName: 'example.org' })).toThrow(
      /"webDomainName" \(files.example.com\) is not in the hosted zone example.org/,
    );
    expect(() =>
      load({ env: 'prod', ...domain, ...zone, apiOriginDomainName: 'origin.example.net' }),
    ).toThrow(/"apiOriginDomainName" \(origin.example.net\) is not in the hosted zone example.com/);
    expect(() => load({ ...zone })).toThrow(/"hostedZoneId" needs "webDomainName"/);
    expect(() => load({ hostedZoneId: 'Z0123456789EXAMPLE' })).toThrow(/go together/);
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

  it('refuses staging and prod without a domain and both certificates, naming what is missing', () => {
    expect(() => load({ env: 'prod' })).toThrow(
      /^prod needs context webDomainName, cloudFrontCertificateArn, apiOriginDomainName, albCertificateArn /,
    );
    expect(() =>
      load({
        env: 'staging',
        webDomainName: 'files.example.com',
        cloudFrontCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
      }),
    ).toThrow(/^staging needs context apiOriginDomainName, albCertificateArn /);
    expect(load({ env: 'prod', ...domain }).publicUrl).toBe('https://files.example.com');
  });

  it('refuses a publicUrl that is not the web domain in staging and prod', () => {
    expect(() => load({ env: 'prod', ...domain, publicUrl: 'https://d1.cloudfront.net' })).toThrow(
      /publicUrl" must be https:\/\/files\.example\.com/,
    );
  });

  it('lets dev run without a domain', () => {
    expect(load({ env: 'dev' }).domain.webDomainName).toBeUndefined();
  });

  it('knows the CloudFront prefix list of each region, or takes one from context', () => {
    expect(load({ env: 'dev' }).cloudFrontPrefixListId).toBe('pl-4fa04526');
    expect(load({ env: 'dev', region: 'us-east-1' }).cloudFrontPrefixListId).toBe('pl-3b927c52');
    expect(() => load({ env: 'dev', region: 'me-central-1' })).toThrow(/cloudFrontPrefixListId/);
    expect(
      load({ env: 'dev', region: 'me-central-1', cloudFrontPrefixListId: 'pl-0123abcd' })
        .cloudFrontPrefixListId,
    ).toBe('pl-0123abcd');
    expect(() => load({ env: 'dev', cloudFrontPrefixListId: 'sg-123' })).toThrow(
      /not a prefix list/,
    );
  });

  it('turns break-glass access on only when asked', () => {
    expect(load({}).breakGlass).toBe(false);
    expect(load({ breakGlass: 'true' }).breakGlass).toBe(true);
  });

  it('adds Cognito only when asked, and only with an https public URL to call back to', () => {
    expect(load({}).cognito).toBeUndefined();
    expect(load({ env: 'prod', ...domain }).cognito).toBeUndefined();
    expect(load({ env: 'prod', ...domain, cognito: 'true' }).cognito).toEqual({
      selfSignUp: false,
      mfaRequired: false,
      domainPrefix: undefined,
      publicUrl: 'https://files.example.com',
    });
    expect(() => load({ cognito: 'true' })).toThrow(/"cognito" needs an https public URL/);
    expect(() => load({ cognito: 'true', publicUrl: 'http://d1.cloudfront.net' })).toThrow(
      /https public URL/,
    );
    expect(
      load({ cognito: 'true', publicUrl: 'https://d1.cloudfront.net/', cognitoSelfSignUp: 'true' })
        .cognito,
    ).toMatchObject({ selfSignUp: true, publicUrl: 'https://d1.cloudfront.net' });
    expect(() => load({ env: 'prod', ...domain, cognito: 'true', cognitoMfa: 'on' })).toThrow(
      /"cognitoMfa" must be optional or required/,
    );
    for (const prefix of ['My-Files', 'files-aws', '-files']) {
      expect(() =>
        load({ env: 'prod', ...domain, cognito: 'true', cognitoDomainPrefix: prefix }),
      ).toThrow(/cognitoDomainPrefix/);
    }
  });

  it('keeps password sign-in unless passwordSignIn=false', () => {
    expect(load({}).passwordSignIn).toBe(true);
    expect(load({ passwordSignIn: 'false' }).passwordSignIn).toBe(false);
  });

  it('requires a domain and its certificate together', () => {
    expect(() => load({ apiOriginDomainName: 'origin.example.com' })).toThrow(/go together/);
    expect(() => load({ webDomainName: 'files.example.com' })).toThrow(/go together/);
  });
});
