import { describe, expect, it } from 'vitest';
import { expectAllSecurityInvariants } from './security-invariants.js';
import { prodDomainContext, synthesize } from './synth.js';

const synth = synthesize('staging', {
  ...prodDomainContext,
  webDomainName: 'staging.files.example.com',
  apiOriginDomainName: 'origin.staging.files.example.com',
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

  it('has no cdk-nag finding that is not acknowledged with a reason', () => {
    expect(synth.nagFindings).toEqual([]);
  });

  it('serves PUBLIC_URL https://<webDomainName>', () => {
    expect(JSON.stringify(compute.findResources('AWS::ECS::TaskDefinition'))).toContain(
      '"Name":"PUBLIC_URL","Value":"https://staging.files.example.com"',
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
