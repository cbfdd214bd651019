import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadEnvironmentConfig } from '../lib/config.js';
import { loadPipelineConfig } from '../lib/pipeline-config.js';
import { nodeImageOfDockerfile } from '../lib/pipeline-stack.js';
import { synthesizePipeline } from './synth.js';

const source = {
  pipelineConnectionArn:
    'arn:aws:codeconnections:eu-west-1:123456789012:connection/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  pipelineRepository: 'example/myfile',
  approvalEmail: 'release@example.com',
};
const { template, nagFindings } = synthesizePipeline(source);

type Stage = {
  Name: string;
  Actions: Array<{ Name: string; Configuration?: Record<string, unknown> }>;
};
const stages = (): Stage[] => {
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline')) as Array<{
    Properties: { Stages: Stage[] };
  }>;
  return pipeline?.Properties.Stages ?? [];
};
const buildSpecOf = (projectName: string): string => {
  const [found] = Object.values(
    template.findResources('AWS::CodeBuild::Project', { Properties: { Name: projectName } }),
  ) as Array<{ Properties: { Source: { BuildSpec: unknown } } }>;
  expect(found, projectName).toBeDefined();
  // A spec naming another resource (the repository URI) is an Fn::Join: read it as text.
  return JSON.stringify(found?.Properties.Source.BuildSpec ?? '');
};

describe('release pipeline', () => {
  it('has no cdk-nag AwsSolutions finding that is not acknowledged with a reason', () => {
    expect(nagFindings).toEqual([]);
  });

  it('runs source, test, image, staging, approval, prod in that order', () => {
    expect(
      stages().map((stage) => [stage.Name, stage.Actions.map((action) => action.Name)]),
    ).toEqual([
      ['Source', ['Source']],
      ['Test', ['NpmTest']],
      ['Image', ['BuildAndPush']],
      ['Staging', ['MigrateAndDeploy-staging']],
      ['Approve', ['ApproveProd']],
      ['Prod', ['MigrateAndDeploy-prod']],
    ]);
    expect(stages()[0]?.Actions[0]?.Configuration).toMatchObject({
      ConnectionArn: source.pipelineConnectionArn,
      FullRepositoryId: 'example/myfile',
      BranchName: 'main',
    });
  });

  it('tests with npm ci && npm test on the image’s own Node.js', () => {
    const spec = buildSpecOf('myfile-test');
    expect(spec).toContain('npm ci --no-audit --no-fund');
    expect(spec).toContain('npm test');
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Name: 'myfile-test',
      Environment: Match.objectLike({ Image: nodeImageOfDockerfile() }),
    });
    expect(nodeImageOfDockerfile()).toMatch(/^node:26-bookworm-slim@sha256:[0-9a-f]{64}$/);
  });

  it('builds the image once, tagged with the commit, into an immutable, scanned, encrypted ECR repository', () => {
    const spec = buildSpecOf('myfile-image');
    expect(spec).toContain('docker build --platform linux/amd64 -t');
    expect(spec).toContain('$REPOSITORY_URI:$IMAGE_TAG');
    expect(spec).toContain('docker push');
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'myfile-app',
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
      EncryptionConfiguration: Match.objectLike({ EncryptionType: 'KMS' }),
    });
    const image = stages().find((stage) => stage.Name === 'Image')?.Actions[0]?.Configuration;
    expect(String(image?.EnvironmentVariables)).toContain('#{Source.CommitId}');
  });

  it('deploys staging and then prod with the same commit image; each deploy migrates first', () => {
    for (const env of ['staging', 'prod']) {
      const spec = buildSpecOf(`myfile-deploy${env}`);
      expect(spec).toContain('npx cdk deploy --all --require-approval never');
      expect(spec).toContain('-c imageTag=');
      expect(spec).toContain('$IMAGE_TAG');
      expect(spec).toContain(`/myfile/${env}/cdk-context`);
      const action = stages()
        .flatMap((stage) => stage.Actions)
        .find((candidate) => candidate.Name === `MigrateAndDeploy-${env}`);
      expect(String(action?.Configuration?.EnvironmentVariables)).toContain('#{Source.CommitId}');
    }
    // What a deploy with -c imageTag runs: the commit's image from that repository.
    const config = loadEnvironmentConfig(new App({ context: { imageTag: 'abc123' } }).node);
    expect(config.imageTag).toBe('abc123');
  });

  it('may deploy only through the CDK bootstrap roles', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (
          policy as {
            Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const assume = statements.filter((statement) => statement.Sid === 'AssumeCdkBootstrapRoles');
    expect(assume).toHaveLength(2);
    for (const statement of assume) {
      expect(statement.Action).toBe('sts:AssumeRole');
      expect(JSON.stringify(statement.Resource)).toContain(':role/cdk-hnb659fds-*');
    }
    expect(JSON.stringify(statements)).not.toMatch(/"Action":"\*"|AdministratorAccess/);
  });

  it('keeps artifacts and the approval topic encrypted', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'myfile-release-approvals',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'release@example.com',
    });
  });

  it('refuses to synthesise without a source, with one line saying which context', () => {
    const load = (context: Record<string, string>) => loadPipelineConfig(new App({ context }).node);
    expect(() => load({})).toThrow(/needs context pipelineConnectionArn and pipelineRepository/);
    expect(() => load({ ...source, pipelineRepository: 'no-slash' })).toThrow(/owner\/name/);
    expect(() => load({ ...source, pipelineConnectionArn: 'arn:aws:iam::1:role/x' })).toThrow(
      /CodeConnections connection ARN/,
    );
  });
});
