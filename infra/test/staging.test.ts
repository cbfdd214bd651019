import { describe, expect, it } from 'vitest';
import { expectAllSecurityInvariants } from './security-invariants.js';
import { synthesize } from './synth.js';

const synth = synthesize('staging', {
  publicUrl: 'https://d111111abcdef8.cloudfront.net',
  // First deploy (docs/deploy.md): services exist with no tasks until the database user exists.
  servicesPaused: 'true',
});
const { network, data, compute } = synth.templates;

describe('staging', () => {
  it('keeps every security property of prod', () => {
    expectAllSecurityInvariants(synth);
  });

  it('sizes between dev and prod: one NAT, single-AZ database, Redis with failover', () => {
    network.resourceCountIs('AWS::EC2::NatGateway', 1);
    data.hasResourceProperties('AWS::RDS::DBInstance', {
      MultiAZ: false,
      DeletionProtection: true,
    });
    data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      AutomaticFailoverEnabled: true,
    });
  });

  it('takes PUBLIC_URL from context when there is no custom domain', () => {
    expect(JSON.stringify(compute.findResources('AWS::ECS::TaskDefinition'))).toContain(
      '"Name":"PUBLIC_URL","Value":"https://d111111abcdef8.cloudfront.net"',
    );
  });

  it('starts no tasks while servicesPaused is set', () => {
    const services = Object.values(compute.findResources('AWS::ECS::Service')) as Array<{
      Properties: { DesiredCount: number };
    }>;
    expect(services.map((s) => s.Properties.DesiredCount)).toEqual([0, 0]);
    compute.allResourcesProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 0,
      MaxCapacity: 0,
    });
  });
});
