import { Match } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import type { SynthesizedEnvironment } from './synth.js';

type Json = Record<string, unknown>;

const asArray = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Services holding user data or keys: no wildcard resources on their actions. */
const DATA_SERVICE_PREFIXES = [
  's3:',
  'kms:',
  'rds:',
  'rds-db:',
  'elasticache:',
  'dynamodb:',
  'secretsmanager:',
];
/** Actions that have no resource-level permissions in IAM at all. */
const UNSCOPABLE_ACTIONS = new Set(['secretsmanager:GetRandomPassword']);

export interface PolicyStatementFound {
  where: string;
  statement: Json;
}

/** Every statement of every identity policy (managed, inline, role-attached) in the app. */
export function identityPolicyStatements(synth: SynthesizedEnvironment): PolicyStatementFound[] {
  const found: PolicyStatementFound[] = [];
  const collect = (where: string, document: unknown) => {
    if (!isRecord(document)) return;
    for (const statement of asArray(document.Statement)) {
      if (isRecord(statement)) found.push({ where, statement });
    }
  };
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const { stack, id, properties } of synth.allResources(type)) {
      collect(`${stack}/${id}`, properties.PolicyDocument);
    }
  }
  for (const { stack, id, properties } of synth.allResources('AWS::IAM::Role')) {
    for (const policy of asArray(properties.Policies)) {
      if (isRecord(policy)) collect(`${stack}/${id}`, policy.PolicyDocument);
    }
  }
  return found;
}

export function expectNoWildcardIamOnDataServices(synth: SynthesizedEnvironment): void {
  const statements = identityPolicyStatements(synth);
  expect(statements.length).toBeGreaterThan(0);
  const offenders: string[] = [];
  for (const { where, statement } of statements) {
    if (statement.Effect !== 'Allow') continue;
    const actions = asArray(statement.Action).filter((a): a is string => typeof a === 'string');
    const resources = asArray(statement.Resource);
    if (actions.some((action) => action === '*' || action.endsWith(':*'))) {
      offenders.push(`${where}: wildcard action ${actions.join(',')}`);
    }
    const touchesData = actions.some(
      (action) =>
        DATA_SERVICE_PREFIXES.some((prefix) => action.startsWith(prefix)) &&
        !UNSCOPABLE_ACTIONS.has(action),
    );
    if (touchesData && resources.includes('*')) {
      offenders.push(`${where}: ${actions.join(',')} on Resource "*"`);
    }
  }
  expect(offenders).toEqual([]);
}

export function expectEveryBucketPrivateEncryptedTlsOnly(synth: SynthesizedEnvironment): void {
  const buckets = synth.allResources('AWS::S3::Bucket');
  expect(buckets.length).toBeGreaterThan(0);
  for (const { stack, id, properties } of buckets) {
    expect(properties.PublicAccessBlockConfiguration, `${stack}/${id}`).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const encryption = properties.BucketEncryption as
      | {
          ServerSideEncryptionConfiguration?: Array<{
            ServerSideEncryptionByDefault?: { SSEAlgorithm?: string };
          }>;
        }
      | undefined;
    const algorithm =
      encryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault
        ?.SSEAlgorithm;
    expect(['aws:kms', 'AES256'], `${stack}/${id} encryption`).toContain(algorithm);
  }
  // Each bucket has a policy that denies plain-HTTP requests.
  const policies = synth.allResources('AWS::S3::BucketPolicy');
  expect(policies).toHaveLength(buckets.length);
  for (const { stack, id, properties } of policies) {
    const statements = asArray((properties.PolicyDocument as Json).Statement).filter(isRecord);
    const tlsOnly = statements.some(
      (s) =>
        s.Effect === 'Deny' &&
        JSON.stringify(s.Condition) ===
          JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
    );
    expect(tlsOnly, `${stack}/${id} denies non-TLS`).toBe(true);
    const publicAllow = statements.some(
      (s) =>
        s.Effect === 'Allow' &&
        (s.Principal === '*' || JSON.stringify(s.Principal) === '{"AWS":"*"}'),
    );
    expect(publicAllow, `${stack}/${id} allows everyone`).toBe(false);
  }
}

const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

const ingressRulesOf = (synth: SynthesizedEnvironment, groupLogicalId: string): Json[] => {
  const inline = synth.templates.network.findResources('AWS::EC2::SecurityGroup')[
    groupLogicalId
  ] as { Properties: Json } | undefined;
  const separate = Object.values(
    synth.templates.network.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: { 'Fn::GetAtt': [groupLogicalId, 'GroupId'] } },
    }),
  ) as Array<{ Properties: Json }>;
  return [
    ...asArray(inline?.Properties.SecurityGroupIngress).filter(isRecord),
    ...separate.map((rule) => rule.Properties),
  ];
};

/**
 * Nothing admits the internet: the ALB admits only CloudFront's origin-facing prefix list,
 * on the one port CloudFront uses, so no request reaches the app without passing the WAF.
 */
export function expectAlbReachableOnlyFromCloudFront(synth: SynthesizedEnvironment): void {
  for (const type of ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress']) {
    for (const { id, properties } of synth.allResources(type)) {
      const rules =
        type === 'AWS::EC2::SecurityGroup'
          ? asArray(properties.SecurityGroupIngress)
          : [properties];
      for (const rule of rules.filter(isRecord)) {
        expect(
          OPEN_CIDRS.has(String(rule.CidrIp ?? rule.CidrIpv6)),
          `${id} open to the internet`,
        ).toBe(false);
      }
    }
  }
  const network = synth.stacks.network;
  const albGroup = network.getLogicalId(network.albSecurityGroup.node.defaultChild as never);
  const port = synth.stacks.config.domain.albCertificateArn === undefined ? 80 : 443;
  expect(ingressRulesOf(synth, albGroup)).toEqual([
    expect.objectContaining({
      IpProtocol: 'tcp',
      FromPort: port,
      ToPort: port,
      SourcePrefixListId: synth.stacks.config.cloudFrontPrefixListId,
    }),
  ]);
}

export function expectDatabaseAndCacheUnreachableFromOutside(synth: SynthesizedEnvironment): void {
  const data = synth.templates.data;
  data.hasResourceProperties('AWS::RDS::DBInstance', {
    PubliclyAccessible: false,
    StorageEncrypted: true,
    KmsKeyId: Match.anyValue(),
  });
  data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
    TransitEncryptionEnabled: true,
    AtRestEncryptionEnabled: true,
  });
  // The AUTH token is a CloudFormation dynamic reference, never a literal in the template.
  for (const { properties } of synth.allResources('AWS::ElastiCache::ReplicationGroup')) {
    expect(JSON.stringify(properties.AuthToken)).toContain('{{resolve:secretsmanager:');
  }
  const network = synth.stacks.network;
  const idOf = (group: { node: { defaultChild: unknown } }) =>
    network.getLogicalId(group.node.defaultChild as never);
  const source = (group: { node: { defaultChild: unknown } }) => ({
    'Fn::GetAtt': [idOf(group), 'GroupId'],
  });
  // The only ingress to the database: 5432 from the app and from the rotation functions;
  // to Redis: 6379 from the app.
  const allowed = [
    [
      network.databaseSecurityGroup,
      5432,
      [network.appSecurityGroup, network.rotationSecurityGroup],
    ],
    [network.redisSecurityGroup, 6379, [network.appSecurityGroup]],
  ] as const;
  for (const [group, port, sources] of allowed) {
    const rules = ingressRulesOf(synth, idOf(group));
    expect(rules.map((rule) => rule.SourceSecurityGroupId)).toEqual(sources.map(source));
    for (const rule of rules) {
      expect(rule).toMatchObject({ FromPort: port, ToPort: port, IpProtocol: 'tcp' });
    }
  }
}

export function expectAllSecurityInvariants(synth: SynthesizedEnvironment): void {
  expectEveryBucketPrivateEncryptedTlsOnly(synth);
  expectAlbReachableOnlyFromCloudFront(synth);
  expectDatabaseAndCacheUnreachableFromOutside(synth);
  expectNoWildcardIamOnDataServices(synth);
}
