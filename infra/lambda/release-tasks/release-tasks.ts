import type {
  DescribeTasksCommandInput,
  DescribeTasksCommandOutput,
  RunTaskCommandInput,
  RunTaskCommandOutput,
} from '@aws-sdk/client-ecs';

/** The two ECS calls; the SDK's `ECS` client satisfies it. */
export interface ReleaseTasksEcsClient {
  runTask(input: RunTaskCommandInput): Promise<Pick<RunTaskCommandOutput, 'tasks' | 'failures'>>;
  describeTasks(
    input: DescribeTasksCommandInput,
  ): Promise<Pick<DescribeTasksCommandOutput, 'tasks'>>;
}

export interface ReleaseTask {
  /** For messages: "create-app-user", "migrate". */
  name: string;
  taskDefinitionArn: string;
}

export interface ReleaseTasksDependencies {
  ecs: ReleaseTasksEcsClient;
  cluster: string;
  subnets: string[];
  securityGroups: string[];
  tasks: ReleaseTask[];
  /** Leaves a margin under the Lambda timeout so the failure is ours, with a reason. */
  timeoutMs: number;
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: (message: string) => void;
}

export class ReleaseTaskError extends Error {
  override name = 'ReleaseTaskError';
}

/**
 * Runs the release's one-off tasks in order (create the app's database role, then the schema
 * migrations) with the image being deployed, and waits for each to exit 0. Called by a CDK
 * trigger before the services roll: a failure fails the deployment, and CloudFormation rolls
 * the stack back before any task of the new release serves.
 */
export function createReleaseTasksHandler(deps: ReleaseTasksDependencies) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  const pollIntervalMs = deps.pollIntervalMs ?? 10_000;
  const log = deps.log ?? console.log;

  async function runToCompletion(task: ReleaseTask, deadline: number): Promise<void> {
    const started = await deps.ecs.runTask({
      cluster: deps.cluster,
      taskDefinition: task.taskDefinitionArn,
      launchType: 'FARGATE',
      count: 1,
      startedBy: 'release',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: deps.subnets,
          securityGroups: deps.securityGroups,
          assignPublicIp: 'DISABLED',
        },
      },
    });
    const taskArn = started.tasks?.[0]?.taskArn;
    if (taskArn === undefined) {
      const reason = started.failures?.map((f) => `${f.arn ?? ''} ${f.reason ?? ''}`).join('; ');
      throw new ReleaseTaskError(
        `${task.name}: ECS did not start the task (${reason ?? 'no reason'})`,
      );
    }
    log(`${task.name}: started ${taskArn}`);
    for (;;) {
      const { tasks = [] } = await deps.ecs.describeTasks({
        cluster: deps.cluster,
        tasks: [taskArn],
      });
      const current = tasks[0];
      if (current?.lastStatus === 'STOPPED') {
        const exitCodes = (current.containers ?? []).map((c) => c.exitCode);
        if (exitCodes.length > 0 && exitCodes.every((code) => code === 0)) {
          log(`${task.name}: exited 0`);
          return;
        }
        throw new ReleaseTaskError(
          `${task.name}: task ${taskArn} stopped with exit code ${exitCodes.join(',') || 'none'} (${current.stoppedReason ?? 'no reason'}); its log is in the MigrationLogs log group`,
        );
      }
      if (now() >= deadline) {
        throw new ReleaseTaskError(
          `${task.name}: task ${taskArn} still ${current?.lastStatus ?? 'unknown'} after the release timeout; the services were not updated`,
        );
      }
      await sleep(pollIntervalMs);
    }
  }

  return async function handler(): Promise<void> {
    const deadline = now() + deps.timeoutMs;
    for (const task of deps.tasks) await runToCompletion(task, deadline);
  };
}
