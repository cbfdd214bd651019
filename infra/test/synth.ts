import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { EnvironmentName } from '../lib/config.js';
import { buildMyFileApp, buildPipelineApp, type MyFileStacks } from '../lib/myfile-app.js';
import { infraRoot } from '../lib/paths.js';

/** The stacks every environment has; `cognito` exists only with `-c cognito=true`. */
type AlwaysStackName = Exclude<keyof MyFileStacks, 'config' | 'cognito'>;
export type StackName = AlwaysStackName | 'cognito';

/** One unacknowledged cdk-nag finding: `AwsSolutions-XX[detail] at construct/path`. */
export type NagFinding = string;

export interface SynthesizedEnvironment {
  stacks: MyFileStacks;
  templates: Record<AlwaysStackName, Template> & { cognito?: Template };
  assembly: CloudAssembly;
  /** AwsSolutions findings left after the acknowledgements written next to the resources. */
  nagFindings: NagFinding[];
  /** Every resource of every stack, for properties that must hold everywhere. */
  allResources(
    type: string,
  ): Array<{ stack: StackName; id: string; properties: Record<string, unknown> }>;
}

const alwaysStackNames: AlwaysStackName[] = [
  'network',
  'secrets',
  'storage',
  'data',
  'compute',
  'edge',
  'originRotation',
  'observability',
];

/** Feature flags from cdk.json, so tests synthesise exactly what `cdk synth` does. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson: unknown = JSON.parse(readFileSync(join(infraRoot, 'cdk.json'), 'utf8'));
  if (typeof cdkJson !== 'object' || cdkJson === null || !('context' in cdkJson)) return {};
  const context = cdkJson.context;
  return typeof context === 'object' && context !== null ? { ...context } : {};
}

interface ValidationReport {
  pluginReports: Array<{
    violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }>;
  }>;
}

function readNagFindings(outdir: string): NagFinding[] {
  const file = join(outdir, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map(
        (construct) => `${violation.ruleName} at ${construct.constructPath}`,
      ),
    ),
  );
}

/**
 * Synthesises one environment's whole app once, with the cdk-nag AwsSolutions pack, like
 * `cdk synth` (slow: call it from module scope). The templates are read back from the cloud
 * assembly, because a synth that cdk-nag fails cannot be repeated to build them.
 */
export function synthesize(
  env: EnvironmentName,
  context: Record<string, string> = {},
): SynthesizedEnvironment {
  const outdir = mkdtempSync(join(tmpdir(), `myfile-cdk-${env}-`));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), env, account: '123456789012', ...context },
  });
  const stacks = buildMyFileApp(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch (error) {
    // cdk-nag findings fail the synth after the assembly is written; they are read below.
    if (!(error instanceof Error) || !error.message.includes('validation-report.json')) throw error;
  }
  const assembly = new CloudAssembly(outdir);
  const stackNames: StackName[] = [
    ...alwaysStackNames,
    ...(stacks.cognito === undefined ? [] : (['cognito'] as const)),
  ];
  const templates = Object.fromEntries(
    stackNames.map((name) => {
      const stack = stacks[name] as Stack;
      const template = assembly.getStackArtifact(stack.artifactId).template as Record<
        string,
        unknown
      >;
      return [name, Template.fromJSON(template)];
    }),
  ) as SynthesizedEnvironment['templates'];
  return {
    stacks,
    templates,
    assembly,
    nagFindings: readNagFindings(outdir),
    allResources(type) {
      return stackNames.flatMap((stack) =>
        Object.entries((templates[stack] as Template).findResources(type)).map(
          ([id, resource]) => ({
            stack,
            id,
            properties: (resource as { Properties?: Record<string, unknown> }).Properties ?? {},
          }),
        ),
      );
    },
  };
}

/** The release pipeline (`-c pipeline=true`), synthesised offline with cdk-nag like the rest. */
export function synthesizePipeline(context: Record<string, string>): {
  template: Template;
  nagFindings: NagFinding[];
} {
  const outdir = mkdtempSync(join(tmpdir(), 'myfile-cdk-pipeline-'));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), pipeline: 'true', account: '123456789012', ...context },
  });
  const stack = buildPipelineApp(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('validation-report.json')) throw error;
  }
  const assembly = new CloudAssembly(outdir);
  return {
    template: Template.fromJSON(
      assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>,
    ),
    nagFindings: readNagFindings(outdir),
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
  notificationEmail: 'archive-events@example.com',
  hostedZoneId: 'Z0123456789EXAMPLE',
  hostedZoneName: 'example.com',
};

/** Warnings and errors attached to constructs, from the synthesised assembly. */
export function warningsOf(synth: SynthesizedEnvironment): string[] {
  return synth.assembly.stacks.flatMap((stack) =>
    stack.messages
      .filter((message) => (['warning', 'error'] as string[]).includes(message.level))
      .map(
        (message) =>
          `${stack.stackName}: ${typeof message.entry.data === 'string' ? message.entry.data : JSON.stringify(message.entry.data)}`,
      ),
  );
}

/** Context the CLI would have to look up in AWS (needs credentials): must be none. */
export function missingContextOf(synth: SynthesizedEnvironment): string[] {
  return (synth.assembly.manifest.missing ?? []).map((missing) => missing.key);
}
