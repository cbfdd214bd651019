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

/** Ingress rules from the internet exist only on the ALB security group, on 80 and 443. */
export function expectOnlyAlbOpenToTheInternet(synth: SynthesizedEnvironment): void {
  const albGroupId = synth.stacks.network.getLogicalId(
    synth.stacks.network.albSecurityGroup.node.defaultChild as never,
  );
  const openRules: Array<{ group: string; port: unknown }> = [];
  for (const { id, properties } of synth.allResources('AWS::EC2::SecurityGroup')) {
    for (const rule of asArray(properties.SecurityGroupIngress).filter(isRecord)) {
      if (OPEN_CIDRS.has(String(rule.CidrIp ?? rule.CidrIpv6))) {
        openRules.push({ group: id, port: rule.FromPort });
        expect(rule.ToPort).toBe(rule.FromPort);
      }
    }
  }
  for (const { id, properties } of synth.allResources('AWS::EC2::SecurityGroupIngress')) {
    if (OPEN_CIDRS.has(String(properties.CidrIp ?? properties.CidrIpv6))) {
      openRules.push({ group: id, port: properties.FromPort });
    }
  }
  expect(openRules.sort((a, b) => Number(a.port) - Number(b.port))).toEqual([
    { group: albGroupId, port: 80 },
    { group: albGroupId, port: 443 },
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
  const appGroup = idOf(network.appSecurityGroup);
  // The only ingress to the database and Redis groups: their port, from the app group.
  for (const [group, port] of [
    [network.databaseSecurityGroup, 5432],
    [network.redisSecurityGroup, 6379],
  ] as const) {
    const rules = Object.values(
      synth.templates.network.findResources('AWS::EC2::SecurityGroupIngress', {
        Properties: { GroupId: { 'Fn::GetAtt': [idOf(group), 'GroupId'] } },
      }),
    ) as Array<{ Properties: Json }>;
    expect(rules.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        FromPort: port,
        ToPort: port,
        IpProtocol: 'tcp',
        SourceSecurityGroupId: { 'Fn::GetAtt': [appGroup, 'GroupId'] },
      }),
    ]);
    const inline = synth.templates.network.findResources('AWS::EC2::SecurityGroup', {
      Properties: { SecurityGroupIngress: Match.anyValue() },
    });
    expect(Object.keys(inline)).not.toContain(idOf(group));
  }
}

export function expectAllSecurityInvariants(synth: SynthesizedEnvironment): void {
  expectEveryBucketPrivateEncryptedTlsOnly(synth);
  expectOnlyAlbOpenToTheInternet(synth);
  expectDatabaseAndCacheUnreachableFromOutside(synth);
  expectNoWildcardIamOnDataServices(synth);
}
