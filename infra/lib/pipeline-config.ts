import type { Node } from 'constructs';

/** The ECR repository the pipeline builds into and the services run from (`-c imageTag=`). */
export const APP_IMAGE_REPOSITORY = 'myfile-app';

/** Environments the pipeline releases to, in order; prod waits for a manual approval. */
export const RELEASE_ORDER = ['staging', 'prod'] as const;

export interface PipelineConfig {
  account: string | undefined;
  region: string;
  /** A CodeConnections (GitHub, GitLab, Bitbucket) connection the account owner authorised. */
  connectionArn: string;
  /** `owner/name` of the repository. */
  repository: string;
  branch: string;
  /** Mailed when a release waits for approval before prod. */
  approvalEmail: string | undefined;
}

const CONNECTION_ARN =
  /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[\w-]+$/;

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context "${key}" must be a string`);
  return value;
}

/** `-c pipeline=true` plus where the source comes from; see docs/deploy.md#the-release-pipeline. */
export function loadPipelineConfig(node: Node): PipelineConfig {
  const connectionArn = text(node, 'pipelineConnectionArn');
  const repository = text(node, 'pipelineRepository');
  if (connectionArn === undefined || repository === undefined) {
    throw new Error(
      'the pipeline needs context pipelineConnectionArn and pipelineRepository (owner/name); see docs/deploy.md',
    );
  }
  if (!CONNECTION_ARN.test(connectionArn)) {
    throw new Error('context "pipelineConnectionArn" must be a CodeConnections connection ARN');
  }
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new Error('context "pipelineRepository" must be owner/name');
  }
  return {
    account: text(node, 'account') ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: text(node, 'region') ?? 'eu-west-1',
    connectionArn,
    repository,
    branch: text(node, 'pipelineBranch') ?? 'main',
    approvalEmail: text(node, 'approvalEmail'),
  };
}
