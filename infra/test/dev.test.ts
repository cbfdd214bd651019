import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { expectAllSecurityInvariants } from './security-invariants.js';
import { missingContextOf, synthesize, warningsOf } from './synth.js';

// No domain, certificates, mail or alarm email in context: the cheapest possible setup.
const synth = synthesize('dev');
const { network, data, compute, edge, observability } = synth.templates;

describe('dev', () => {
  it('keeps every security property of prod', () => {
    expectAllSecurityInvariants(synth);
  });

  it('has no cdk-nag finding left but the cost choices it acknowledges', () => {
    expect(synth.nagFindings).toEqual([]);
    expect(missingContextOf(synth)).toEqual([]);
  });

  it('uses one NAT gateway, a single-AZ burstable database and Redis without replicas', () => {
    network.resourceCountIs('AWS::EC2::NatGateway', 1);
    network.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    data.hasResourceProperties('AWS::RDS::DBInstance', {
      MultiAZ: false,
      DBInstanceClass: 'db.t4g.micro',
      DeletionProtection: false,
    });
    data.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Delete' });
    data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      ReplicasPerNodeGroup: 0,
      AutomaticFailoverEnabled: false,
    });
  });

  it('stays plain HTTP between CloudFront and the ALB, says so at synth, and still checks the origin header', () => {
    compute.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [Match.objectLike({ Type: 'fixed-response' })],
    });
    compute.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [Match.objectLike({ Field: 'http-header' })],
    });
    expect(warningsOf(synth).join('\n')).toMatch(/dev without albCertificateArn.*plain HTTP/);
  });

  it('routes /api/* to the ALB DNS name across regions when no origin domain is set', () => {
    edge.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([
          Match.objectLike({
            CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'http-only' }),
          }),
        ]),
      }),
    });
    expect(synth.stacks.edge.region).toBe('us-east-1');
    expect(synth.stacks.compute.region).toBe('eu-west-1');
  });

  it('has no Cognito resource and no sign-in settings without -c cognito=true', () => {
    expect(synth.stacks.cognito).toBeUndefined();
    expect(synth.templates.cognito).toBeUndefined();
    for (const template of Object.values(synth.templates)) {
      const { Resources = {} } = template.toJSON() as { Resources?: Record<string, unknown> };
      const types = Object.values(Resources).map((resource) => (resource as { Type: string }).Type);
      expect(types.filter((type) => type.startsWith('AWS::Cognito::'))).toEqual([]);
    }
    const json = JSON.stringify(compute.findResources('AWS::ECS::TaskDefinition'));
    expect(json).not.toMatch(/OIDC_|PASSWORD_SIGNIN/);
  });

  it('injects no MAIL_URL secret and no PUBLIC_URL when they are not configured', () => {
    const json = JSON.stringify(compute.findResources('AWS::ECS::TaskDefinition'));
    expect(json).not.toContain('MAIL_URL');
    expect(json).not.toContain('PUBLIC_URL');
    observability.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
