import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stage, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentName } from '../lib/config.js';
import { buildMyFileApp, type MyFileStacks } from '../lib/myfile-app.js';
import { infraRoot } from '../lib/paths.js';

export type StackName = Exclude<keyof MyFileStacks, 'config'>;

export interface SynthesizedEnvironment {
  stacks: MyFileStacks;
  templates: Record<StackName, Template>;
  /** Every resource of every stack, for properties that must hold everywhere. */
  allResources(
    type: string,
  ): Array<{ stack: StackName; id: string; properties: Record<string, unknown> }>;
}

const stackNames: StackName[] = [
  'network',
  'secrets',
  'storage',
  'data',
  'compute',
  'edge',
  'observability',
];

/** Feature flags from cdk.json, so tests synthesise exactly what `cdk synth` does. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson: unknown = JSON.parse(readFileSync(join(infraRoot, 'cdk.json'), 'utf8'));
  if (typeof cdkJson !== 'object' || cdkJson === null || !('context' in cdkJson)) return {};
  const context = cdkJson.context;
  return typeof context === 'object' && context !== null ? { ...context } : {};
}

/** Synthesises one environment's whole app once (slow: call it from module scope/beforeAll). */
export function synthesize(
  env: EnvironmentName,
  context: Record<string, string> = {},
): SynthesizedEnvironment {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), `myfile-cdk-${env}-`)),
    context: { ...cdkJsonContext(), env, account: '123456789012', ...context },
  });
  const stacks = buildMyFileApp(app);
  const templates = Object.fromEntries(
    stackNames.map((name) => [name, Template.fromStack(stacks[name] as Stack)]),
  ) as Record<StackName, Template>;
  return {
    stacks,
    templates,
    allResources(type) {
      return stackNames.flatMap((stack) =>
        Object.entries(templates[stack].findResources(type)).map(([id, resource]) => ({
          stack,
          id,
          properties: (resource as { Properties?: Record<string, unknown> }).Properties ?? {},
        })),
      );
    },
  };
}

export const prodDomainContext = {
  webDomainName: 'files.example.com',
  cloudFrontCertificateArn:
    'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  apiOriginDomainName: 'origin.files.example.com',
  albCertificateArn:
    'arn:aws:acm:eu-west-1:123456789012:certificate/66666666-7777-8888-9999-000000000000',
  mailSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:myfile-prod/mail-url-AbCdEf',
  alarmEmail: 'ops@example.com',
};

/** Warnings and errors attached to constructs, from the already synthesised assembly. */
export function warningsOf(synth: SynthesizedEnvironment): string[] {
  const assembly = Stage.of(synth.stacks.network)?.synth();
  if (assembly === undefined) throw new Error('stacks are not in an App');
  return assembly.stacks.flatMap((stack) =>
    stack.messages
      .filter((message) => (['warning', 'error'] as string[]).includes(message.level))
      .map(
        (message) =>
          `${stack.stackName}: ${typeof message.entry.data === 'string' ? message.entry.data : JSON.stringify(message.entry.data)}`,
      ),
  );
}
