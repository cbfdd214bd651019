import { beforeEach, describe, expect, it } from 'vitest';
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import {
  FakeSecretsManager,
  rotateOnce,
  withPendingToken,
} from '../rotation/rotation.test-utils.js';
import {
  createOriginRotationHandler,
  headerValueOf,
  type OriginCloudFrontClient,
  type OriginLoadBalancerClient,
} from './origin-rotation.js';

const HEADER = 'X-Origin-Verify';
const secretId = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:myfile-prod/origin-verify';
const initial = JSON.stringify({ value: 'a'.repeat(48) });

/**
 * CloudFront and the ALB as the rotation sees them (AWS, not our code): a distribution whose
 * configuration change takes a few polls to deploy, and the values one listener rule accepts.
 * `admits` answers what matters: would a request CloudFront sends right now be forwarded?
 */
class FakeEdge implements OriginCloudFrontClient, OriginLoadBalancerClient {
  acceptedByAlb: string[] = ['a'.repeat(48)];
  sentByEdges = 'a'.repeat(48);
  config: DistributionConfig = {
    CallerReference: 'ref',
    Comment: 'test',
    Enabled: true,
    DefaultCacheBehavior: undefined,
    Origins: {
      Quantity: 2,
      Items: [
        { Id: 'web', DomainName: 'web.s3.amazonaws.com' },
        {
          Id: 'api',
          DomainName: 'origin.files.example.com',
          CustomHeaders: {
            Quantity: 1,
            Items: [{ HeaderName: HEADER, HeaderValue: 'a'.repeat(48) }],
          },
        },
      ],
    },
  };
  etag = 'E1';
  pollsUntilDeployed = 0;
  updates = 0;

  admits(): boolean {
    return this.acceptedByAlb.includes(this.sentByEdges);
  }

  private configuredValue(): string | undefined {
    return this.config.Origins?.Items?.[1]?.CustomHeaders?.Items?.[0]?.HeaderValue;
  }

  async getDistributionConfig() {
    return { DistributionConfig: structuredClone(this.config), ETag: this.etag };
  }

  async updateDistribution(input: { IfMatch?: string; DistributionConfig?: DistributionConfig }) {
    if (input.IfMatch !== this.etag) throw new Error('PreconditionFailed');
    if (input.DistributionConfig === undefined) throw new Error('no config');
    this.config = structuredClone(input.DistributionConfig);
    this.etag = `E${Number(this.etag.slice(1)) + 1}`;
    this.pollsUntilDeployed = 3;
    this.updates += 1;
    return {};
  }

  async getDistribution() {
    if (this.pollsUntilDeployed > 0) this.pollsUntilDeployed -= 1;
    const deployed = this.pollsUntilDeployed === 0;
    if (deployed) this.sentByEdges = this.configuredValue() ?? '';
    return {
      Distribution: {
        Id: 'E123',
        ARN: 'arn',
        DomainName: 'd.cloudfront.net',
        LastModifiedTime: new Date(),
        InProgressInvalidationBatches: 0,
        ActiveTrustedSigners: undefined,
        Status: deployed ? 'Deployed' : 'InProgress',
        DistributionConfig: structuredClone(this.config),
      },
    };
  }

  async modifyRule(input: {
    Conditions?: Array<{ HttpHeaderConfig?: { HttpHeaderName?: string; Values?: string[] } }>;
  }) {
    const header = input.Conditions?.[0]?.HttpHeaderConfig;
    if (header?.HttpHeaderName !== HEADER) throw new Error('wrong header');
    this.acceptedByAlb = [...(header.Values ?? [])];
    return {};
  }
}

describe('origin secret rotation', () => {
  let secrets: FakeSecretsManager;
  let edge: FakeEdge;
  const handler = (deployTimeoutMs = 60_000) =>
    createOriginRotationHandler({
      secrets: withPendingToken(secrets),
      cloudFront: edge,
      loadBalancer: edge,
      target: { headerName: HEADER, listenerRuleArn: 'arn:rule', distributionId: 'E123' },
      deployTimeoutMs,
      pollIntervalMs: 1,
      // Every poll is a chance for a request to arrive: it must always be forwarded.
      sleep: async () => {
        expect(edge.admits()).toBe(true);
      },
      log: () => {},
    });

  beforeEach(() => {
    secrets = new FakeSecretsManager('initial', initial);
    edge = new FakeEdge();
  });

  it('moves CloudFront and the ALB to a new value with no request refused in between', async () => {
    await rotateOnce(secrets, handler(), { secretId, token: 'token-1' });
    const current = headerValueOf(secrets.stringAt('AWSCURRENT'));
    expect(current).not.toBe('a'.repeat(48));
    expect(current.length).toBeGreaterThanOrEqual(32);
    expect(edge.sentByEdges).toBe(current);
    expect(edge.acceptedByAlb).toEqual([current]);
    expect(edge.admits()).toBe(true);
  });

  it('leaves the ALB accepting both values when CloudFront has not deployed in time', async () => {
    secrets.startRotation('token-1');
    const run = handler(0);
    const event = { SecretId: secretId, ClientRequestToken: 'token-1' };
    await run({ ...event, Step: 'createSecret' });
    await run({ ...event, Step: 'setSecret' });
    await expect(run({ ...event, Step: 'testSecret' })).rejects.toThrow(/still deploying/);
    expect(edge.acceptedByAlb).toHaveLength(2);
    expect(secrets.stringAt('AWSCURRENT')).toBe(initial);
  });

  it('does not narrow the ALB while the edges still send the old value', async () => {
    secrets.startRotation('token-1');
    const run = handler();
    const event = { SecretId: secretId, ClientRequestToken: 'token-1' };
    await run({ ...event, Step: 'createSecret' });
    await run({ ...event, Step: 'setSecret' });
    // testSecret skipped (Secrets Manager would not, but a retried finish must stay safe).
    await expect(run({ ...event, Step: 'finishSecret' })).rejects.toThrow(/everywhere/);
    expect(edge.acceptedByAlb).toHaveLength(2);
    expect(edge.admits()).toBe(true);
  });

  it('setSecret is idempotent: a retry does not update the distribution twice', async () => {
    secrets.startRotation('token-1');
    const run = handler();
    const event = { SecretId: secretId, ClientRequestToken: 'token-1' };
    await run({ ...event, Step: 'createSecret' });
    await run({ ...event, Step: 'setSecret' });
    await run({ ...event, Step: 'setSecret' });
    expect(edge.updates).toBe(1);
  });

  it('refuses a distribution with no origin sending the header', async () => {
    edge.config.Origins = { Quantity: 0, Items: [] };
    secrets.startRotation('token-1');
    const run = handler();
    const event = { SecretId: secretId, ClientRequestToken: 'token-1' };
    await run({ ...event, Step: 'createSecret' });
    await expect(run({ ...event, Step: 'setSecret' })).rejects.toThrow(/no origin/);
  });

  it('refuses a secret that is not {"value": "<long enough>"}', () => {
    expect(() => headerValueOf('{"value":"short"}')).toThrow(/at least 32/);
    expect(() => headerValueOf('{"other":1}')).toThrow();
  });
});
