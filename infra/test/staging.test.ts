import { describe, expect, it } from 'vitest';
import { expectAllSecurityInvariants } from './security-invariants.js';
import { Match } from 'aws-cdk-lib/assertions';
import { prodDomainContext, synthesize, warningsOf } from './synth.js';

const synth = synthesize('staging', {
  ...prodDomainContext,
  webDomainName: 'staging.files.example.com',
  apiOriginDomainName: 'origin.staging.files.example.com',
  servicesPaused: 'true',
  // An incident: break-glass access turned on (prod, synthesised without it, shows it off).
  breakGlass: 'true',
  // Deployed by the pipeline: the commit's image, built once, from its ECR repository.
  imageTag: '0123abcd',
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

  it('runs the pipeline-built image of the commit in imageTag, services and migrations alike', () => {
    const images = Object.values(compute.findResources('AWS::ECS::TaskDefinition')).flatMap(
      (definition) =>
        (
          definition as { Properties: { ContainerDefinitions: Array<{ Image: unknown }> } }
        ).Properties.ContainerDefinitions.map((container) => JSON.stringify(container.Image)),
    );
    const app = images.filter((image) => !image.includes('postgres'));
    expect(app.length).toBeGreaterThanOrEqual(3);
    for (const image of app) {
      expect(image).toContain('.dkr.ecr.');
      expect(image).toContain('/myfile-app:0123abcd');
    }
  });

  it('serves PUBLIC_URL https://<webDomainName>', () => {
    expect(JSON.stringify(compute.findResources('AWS::ECS::TaskDefinition'))).toContain(
      '"Name":"PUBLIC_URL","Value":"https://staging.files.example.com"',
    );
  });

  it('turns on ECS Exec for the worker only, with every session logged, when breakGlass is set', () => {
    compute.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'myfile-staging-worker',
      EnableExecuteCommand: true,
    });
    compute.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'myfile-staging-api',
      EnableExecuteCommand: false,
    });
    compute.hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: {
        ExecuteCommandConfiguration: Match.objectLike({
          Logging: 'OVERRIDE',
          LogConfiguration: Match.objectLike({ CloudWatchEncryptionEnabled: true }),
        }),
      },
    });
    compute.hasResource('AWS::Logs::LogGroup', {
      Properties: Match.objectLike({ RetentionInDays: 365 }),
      DeletionPolicy: 'Retain',
    });
    expect(warningsOf(synth).join('\n')).toMatch(/breakGlass=true/);
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
