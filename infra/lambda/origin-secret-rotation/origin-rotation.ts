import { randomBytes } from 'node:crypto';
import type {
  GetDistributionCommandInput,
  GetDistributionCommandOutput,
  GetDistributionConfigCommandInput,
  GetDistributionConfigCommandOutput,
  UpdateDistributionCommandInput,
  UpdateDistributionCommandOutput,
} from '@aws-sdk/client-cloudfront';
import type {
  ModifyRuleCommandInput,
  ModifyRuleCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  createRotationHandler,
  RotationError,
  type RotationSecretsClient,
} from '../rotation/rotation-protocol.js';

/** The calls on CloudFront the rotation makes; the SDK's `CloudFront` client satisfies it. */
export interface OriginCloudFrontClient {
  getDistributionConfig(
    input: GetDistributionConfigCommandInput,
  ): Promise<Pick<GetDistributionConfigCommandOutput, 'DistributionConfig' | 'ETag'>>;
  updateDistribution(
    input: UpdateDistributionCommandInput,
  ): Promise<Partial<UpdateDistributionCommandOutput>>;
  getDistribution(
    input: GetDistributionCommandInput,
  ): Promise<Pick<GetDistributionCommandOutput, 'Distribution'>>;
}

/** The one ELB call; the SDK's `ElasticLoadBalancingV2` client satisfies it. */
export interface OriginLoadBalancerClient {
  modifyRule(input: ModifyRuleCommandInput): Promise<Partial<ModifyRuleCommandOutput>>;
}

export interface OriginRotationTarget {
  headerName: string;
  /** The ALB listener rule that forwards only requests carrying the header. */
  listenerRuleArn: string;
  distributionId: string;
}

export interface OriginRotationDependencies {
  secrets: RotationSecretsClient;
  cloudFront: OriginCloudFrontClient;
  loadBalancer: OriginLoadBalancerClient;
  target: OriginRotationTarget;
  /** How long testSecret waits for CloudFront to deploy the new header everywhere. */
  deployTimeoutMs?: number;
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
}

/** The secret's JSON: `{"value": "…"}`, the header value CloudFront sends and the ALB checks. */
export const headerValueOf = (secretString: string): string => {
  const parsed: unknown = JSON.parse(secretString);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('value' in parsed) ||
    typeof parsed.value !== 'string' ||
    parsed.value.length < 32
  ) {
    throw new RotationError('origin secret must be {"value": "<at least 32 characters>"}');
  }
  return parsed.value;
};

const newHeaderValue = () => JSON.stringify({ value: randomBytes(36).toString('base64url') });

/**
 * Rotates the secret header CloudFront adds to origin requests, without a request refused
 * in between: the ALB accepts both values while CloudFront's new configuration spreads to
 * every edge location, then only the new one.
 */
export function createOriginRotationHandler(deps: OriginRotationDependencies) {
  const { cloudFront, loadBalancer, target } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const deployTimeoutMs = deps.deployTimeoutMs ?? 12 * 60_000;
  const pollIntervalMs = deps.pollIntervalMs ?? 15_000;

  const acceptAtTheAlb = (values: string[]) =>
    loadBalancer.modifyRule({
      RuleArn: target.listenerRuleArn,
      Conditions: [
        {
          Field: 'http-header',
          HttpHeaderConfig: { HttpHeaderName: target.headerName, Values: values },
        },
      ],
    });

  const headerSentByCloudFront = (config: GetDistributionCommandOutput['Distribution']) => {
    const origins = config?.DistributionConfig?.Origins?.Items ?? [];
    return origins
      .flatMap((origin) => origin.CustomHeaders?.Items ?? [])
      .find((header) => header.HeaderName?.toLowerCase() === target.headerName.toLowerCase())
      ?.HeaderValue;
  };

  async function sendFromCloudFront(value: string): Promise<void> {
    const { DistributionConfig: config, ETag } = await cloudFront.getDistributionConfig({
      Id: target.distributionId,
    });
    if (config === undefined || ETag === undefined) {
      throw new RotationError(`distribution ${target.distributionId} has no configuration`);
    }
    let found = false;
    for (const origin of config.Origins?.Items ?? []) {
      for (const header of origin.CustomHeaders?.Items ?? []) {
        if (header.HeaderName?.toLowerCase() !== target.headerName.toLowerCase()) continue;
        found = true;
        if (header.HeaderValue === value) return;
        header.HeaderValue = value;
      }
    }
    if (!found) {
      throw new RotationError(
        `no origin of distribution ${target.distributionId} sends ${target.headerName}`,
      );
    }
    await cloudFront.updateDistribution({
      Id: target.distributionId,
      IfMatch: ETag,
      DistributionConfig: config,
    });
  }

  return createRotationHandler({
    client: deps.secrets,
    ...(deps.log === undefined ? {} : { log: deps.log }),
    steps: {
      createValue: () => newHeaderValue(),
      setSecret: async ({ current, pending }) => {
        // The ALB first, so no request CloudFront signs with the new value is ever refused.
        await acceptAtTheAlb([headerValueOf(current), headerValueOf(pending)]);
        await sendFromCloudFront(headerValueOf(pending));
      },
      testSecret: async ({ pending }) => {
        const expected = headerValueOf(pending);
        const deadline = Date.now() + deployTimeoutMs;
        for (;;) {
          const { Distribution: distribution } = await cloudFront.getDistribution({
            Id: target.distributionId,
          });
          const sent = headerSentByCloudFront(distribution);
          if (sent !== expected) {
            throw new RotationError(
              'CloudFront does not send the pending value (changed by hand?)',
            );
          }
          if (distribution?.Status === 'Deployed') return;
          if (Date.now() >= deadline) {
            throw new RotationError(
              `CloudFront still deploying after ${deployTimeoutMs / 1000}s; the ALB keeps accepting both values`,
            );
          }
          await sleep(pollIntervalMs);
        }
      },
      afterFinish: async ({ current }) => {
        // Narrow the ALB only once every edge sends the new value; otherwise keep both.
        const { Distribution: distribution } = await cloudFront.getDistribution({
          Id: target.distributionId,
        });
        if (
          headerSentByCloudFront(distribution) !== headerValueOf(current) ||
          distribution?.Status !== 'Deployed'
        ) {
          throw new RotationError('CloudFront does not send the current value everywhere yet');
        }
        await acceptAtTheAlb([headerValueOf(current)]);
      },
    },
  });
}
