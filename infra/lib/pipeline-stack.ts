import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { APP_IMAGE_REPOSITORY, RELEASE_ORDER, type PipelineConfig } from './pipeline-config.js';
import { repoRoot } from './paths.js';

export interface PipelineStackProps extends StackProps {
  pipeline: PipelineConfig;
}

/** The Dockerfile's pinned base image: the tests run on the runtime the image ships. */
export function nodeImageOfDockerfile(): string {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
  if (image === undefined) throw new Error('Dockerfile has no ARG NODE_IMAGE=');
  return image;
}

/** SSM parameter holding one environment's deploy context (domain, certificates, e-mails). */
export const deployContextParameter = (env: string) => `/myfile/${env}/cdk-context`;

/**
 * Source → test → image → staging → approval → prod. The image is built once and tagged with
 * the commit; staging and prod deploy that same tag. Each deploy runs the database role task
 * and the migrations with the new image before the services roll (ReleaseTasksTrigger of the
 * Compute stack), so "migrate" is the first thing every deploy action does.
 */
export class PipelineStack extends Stack {
  readonly pipeline: codepipeline.Pipeline;
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { pipeline: config } = props;

    const key = new kms.Key(this, 'PipelineKey', {
      description: 'My File release pipeline: artifacts, build logs, approval topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const accessLogs = new s3.Bucket(this, 'ArtifactAccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the artifact bucket access logs; logging it would log the logging.',
    });
    const artifacts = new s3.Bucket(this, 'Artifacts', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'artifacts/',
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.repository = new ecr.Repository(this, 'AppImages', {
      repositoryName: APP_IMAGE_REPOSITORY,
      // A tag is a commit: what staging ran is byte for byte what prod runs.
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: key,
      lifecycleRules: [{ maxImageCount: 100, description: 'the last 100 releases' }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const buildLogs = new logs.LogGroup(this, 'BuildLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const project = (
      name: string,
      spec: Record<string, unknown>,
      options: { image?: codebuild.IBuildImage; privileged?: boolean; timeout?: Duration } = {},
    ) =>
      new codebuild.PipelineProject(this, name, {
        projectName: `myfile-${name.toLowerCase()}`,
        encryptionKey: key,
        environment: {
          buildImage: options.image ?? codebuild.LinuxBuildImage.STANDARD_7_0,
          computeType: codebuild.ComputeType.MEDIUM,
          privileged: options.privileged ?? false,
        },
        timeout: options.timeout ?? Duration.minutes(60),
        logging: { cloudWatch: { logGroup: buildLogs, prefix: name.toLowerCase() } },
        buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', ...spec }),
      });

    const test = project(
      'Test',
      {
        phases: {
          install: { commands: ['node --version', 'npm ci --no-audit --no-fund'] },
          build: { commands: ['npm test'] },
        },
        reports: {
          tests: { files: ['.test-output/junit.xml'], 'file-format': 'JUNITXML' },
        },
      },
      { image: codebuild.LinuxBuildImage.fromDockerRegistry(nodeImageOfDockerfile()) },
    );

    const registry = `${this.account}.dkr.ecr.${this.region}.amazonaws.com`;
    const image = project(
      'Image',
      {
        env: { variables: { REGISTRY: registry, REPOSITORY_URI: this.repository.repositoryUri } },
        phases: {
          pre_build: {
            commands: [
              'aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$REGISTRY"',
            ],
          },
          build: {
            commands: [
              'docker build --platform linux/amd64 -t "$REPOSITORY_URI:$IMAGE_TAG" .',
              'docker push "$REPOSITORY_URI:$IMAGE_TAG"',
            ],
          },
        },
      },
      // Docker builds need the daemon CodeBuild runs only in privileged mode.
      { privileged: true },
    );
    this.repository.grantPullPush(image);
    Validations.of(image).acknowledge({
      id: 'AwsSolutions-CB3',
      reason:
        'The image project runs docker build; CodeBuild offers the Docker daemon only in privileged mode. It runs nothing but the repository Dockerfile.',
    });

    const deployers = Object.fromEntries(
      RELEASE_ORDER.map((env) => [env, this.deployProject(env, project)]),
    ) as Record<(typeof RELEASE_ORDER)[number], codebuild.PipelineProject>;

    const approvals = new sns.Topic(this, 'Approvals', {
      topicName: 'myfile-release-approvals',
      masterKey: key,
      enforceSSL: true,
    });
    if (config.approvalEmail !== undefined) {
      approvals.addSubscription(new subscriptions.EmailSubscription(config.approvalEmail));
    }

    const sourceOutput = new codepipeline.Artifact('Source');
    const [owner = '', repo = ''] = config.repository.split('/');
    const source = new actions.CodeStarConnectionsSourceAction({
      actionName: 'Source',
      connectionArn: config.connectionArn,
      owner,
      repo,
      branch: config.branch,
      output: sourceOutput,
      variablesNamespace: 'Source',
    });
    const imageTag = { IMAGE_TAG: { value: source.variables.commitId } };
    const deploy = (env: (typeof RELEASE_ORDER)[number]) =>
      new actions.CodeBuildAction({
        actionName: `MigrateAndDeploy-${env}`,
        project: deployers[env],
        input: sourceOutput,
        environmentVariables: imageTag,
      });

    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: 'myfile-release',
      pipelineType: codepipeline.PipelineType.V2,
      artifactBucket: artifacts,
      restartExecutionOnUpdate: false,
      stages: [
        { stageName: 'Source', actions: [source] },
        {
          stageName: 'Test',
          actions: [
            new actions.CodeBuildAction({
              actionName: 'NpmTest',
              project: test,
              input: sourceOutput,
            }),
          ],
        },
        {
          stageName: 'Image',
          actions: [
            new actions.CodeBuildAction({
              actionName: 'BuildAndPush',
              project: image,
              input: sourceOutput,
              environmentVariables: imageTag,
            }),
          ],
        },
        { stageName: 'Staging', actions: [deploy('staging')] },
        {
          stageName: 'Approve',
          actions: [
            new actions.ManualApprovalAction({
              actionName: 'ApproveProd',
              notificationTopic: approvals,
              additionalInformation:
                'Staging runs this commit. Approve to migrate and deploy prod.',
            }),
          ],
        },
        { stageName: 'Prod', actions: [deploy('prod')] },
      ],
    });

    this.acknowledgeGeneratedGrants(artifacts, [test, image, ...Object.values(deployers)]);
    Validations.of(test).acknowledge({
      id: 'AwsSolutions-CB5',
      reason:
        "The tests run on the Dockerfile's pinned Node.js 26 LTS image, which CodeBuild's own images do not offer.",
    });
    if (image.role !== undefined) {
      Validations.of(image.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken (docker login) has no resource to scope to.',
      });
    }

    new CfnOutput(this, 'PipelineName', { value: this.pipeline.pipelineName });
    new CfnOutput(this, 'ImageRepositoryUri', { value: this.repository.repositoryUri });
  }

  /**
   * CDK's grants for the pipeline's own artifacts and build logs: object and key actions with
   * wildcards, on this pipeline's bucket, key, report groups and log groups only.
   */
  private acknowledgeGeneratedGrants(
    artifacts: s3.Bucket,
    projects: codebuild.PipelineProject[],
  ): void {
    const reason =
      "CDK's grants for the pipeline's artifacts (this bucket and key only) and each build's report group and log group.";
    const bucketId = this.getLogicalId(artifacts.node.defaultChild as s3.CfnBucket);
    const ids = [
      's3:GetObject*',
      's3:GetBucket*',
      's3:List*',
      's3:DeleteObject*',
      's3:Abort*',
      'kms:GenerateDataKey*',
      'kms:ReEncrypt*',
    ].map((action) => `AwsSolutions-IAM5[Action::${action}]`);
    ids.push(`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`);
    for (const project of projects) {
      const projectId = this.getLogicalId(project.node.defaultChild as codebuild.CfnProject);
      const arn = (service: string, resource: string) =>
        `arn:${this.partition}:${service}:${this.region}:${this.account}:${resource}`;
      ids.push(
        `AwsSolutions-IAM5[Resource::${arn('codebuild', `report-group/<${projectId}>-*`)}]`,
        `AwsSolutions-IAM5[Resource::${arn('logs', `log-group:/aws/codebuild/<${projectId}>:*`)}]`,
      );
    }
    for (const id of ids) Validations.of(this).acknowledge({ id, reason });
  }

  /**
   * `cdk deploy` of one environment with the commit's image. The project may only assume the
   * CDK bootstrap roles, which hold the deploy rights; the context comes from an SSM parameter.
   */
  private deployProject(
    env: string,
    project: (name: string, spec: Record<string, unknown>) => codebuild.PipelineProject,
  ): codebuild.PipelineProject {
    const name = `Deploy${env[0]?.toUpperCase() ?? ''}${env.slice(1)}`;
    const deployer = project(name, {
      env: {
        variables: { DEPLOY_ENV: env, ACCOUNT: this.account },
        'parameter-store': { CDK_CONTEXT: deployContextParameter(env) },
      },
      phases: {
        install: {
          'runtime-versions': { nodejs: '22' },
          commands: ['npm ci --no-audit --no-fund'],
        },
        build: {
          commands: [
            'cd infra',
            `CONTEXT_ARGS=$(node -e 'for (const [k, v] of Object.entries(JSON.parse(process.env.CDK_CONTEXT))) process.stdout.write(" -c " + k + "=" + v)')`,
            'npx cdk deploy --all --require-approval never -c env="$DEPLOY_ENV" -c account="$ACCOUNT" -c imageTag="$IMAGE_TAG" $CONTEXT_ARGS',
          ],
        },
      },
    });
    deployer.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadDeployContext',
        actions: ['ssm:GetParameters', 'ssm:GetParameter'],
        resources: [
          this.formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: deployContextParameter(env).slice(1),
          }),
        ],
      }),
    );
    const bootstrapRoles = `arn:${this.partition}:iam::${this.account}:role/cdk-hnb659fds-*`;
    deployer.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole'],
        resources: [bootstrapRoles],
      }),
    );
    if (deployer.role !== undefined) {
      Validations.of(deployer.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${bootstrapRoles}]`,
        reason:
          'cdk deploy assumes the bootstrap roles (deploy, file and image publishing, lookup) of both regions; their names end in the region.',
      });
    }
    return deployer;
  }
}
