import { describe, expect, it } from 'vitest';
import { createReleaseTasksHandler, type ReleaseTasksEcsClient } from './release-tasks.js';

/** ECS as the release sees it (AWS, not our code): tasks that run for a few polls, then stop. */
class FakeEcs implements ReleaseTasksEcsClient {
  started: string[] = [];
  private polls = new Map<string, number>();
  constructor(private readonly exitCodes: Record<string, number>) {}

  async runTask(input: { taskDefinition?: string }) {
    const definition = input.taskDefinition ?? '';
    if (this.exitCodes[definition] === undefined) {
      return { tasks: [], failures: [{ arn: definition, reason: 'RESOURCE:ENI' }] };
    }
    this.started.push(definition);
    this.polls.set(definition, 3);
    return { tasks: [{ taskArn: `task/${definition}` }] };
  }

  async describeTasks(input: { tasks?: string[] }) {
    const definition = (input.tasks?.[0] ?? '').replace('task/', '');
    const left = (this.polls.get(definition) ?? 0) - 1;
    this.polls.set(definition, left);
    if (left > 0) return { tasks: [{ lastStatus: 'RUNNING' }] };
    return {
      tasks: [
        {
          lastStatus: 'STOPPED',
          stoppedReason: 'Essential container in task exited',
          containers: [{ exitCode: this.exitCodes[definition] }],
        },
      ],
    };
  }
}

const tasks = [
  { name: 'create-app-user', taskDefinitionArn: 'user:3' },
  { name: 'migrate', taskDefinitionArn: 'migrate:7' },
];
const handlerFor = (ecs: FakeEcs, timeoutMs = 60_000) => {
  let clock = 0;
  return createReleaseTasksHandler({
    ecs,
    cluster: 'myfile-prod',
    subnets: ['subnet-1'],
    securityGroups: ['sg-1'],
    tasks,
    timeoutMs,
    pollIntervalMs: 1_000,
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
    log: () => {},
  });
};

describe('release tasks', () => {
  it('runs the role task, then the migrations, each to a clean exit', async () => {
    const ecs = new FakeEcs({ 'user:3': 0, 'migrate:7': 0 });
    await handlerFor(ecs)();
    expect(ecs.started).toEqual(['user:3', 'migrate:7']);
  });

  it('fails the deployment on a migration that exits non-zero', async () => {
    const ecs = new FakeEcs({ 'user:3': 0, 'migrate:7': 1 });
    await expect(handlerFor(ecs)()).rejects.toThrow(/migrate: .* exit code 1/);
  });

  it('never migrates when the role task failed', async () => {
    const ecs = new FakeEcs({ 'user:3': 2, 'migrate:7': 0 });
    await expect(handlerFor(ecs)()).rejects.toThrow(/create-app-user/);
    expect(ecs.started).toEqual(['user:3']);
  });

  it('fails with the reason when ECS cannot start the task', async () => {
    const ecs = new FakeEcs({ 'migrate:7': 0 });
    await expect(handlerFor(ecs)()).rejects.toThrow(/did not start the task .*RESOURCE:ENI/);
  });

  it('gives up before the Lambda timeout, saying the services were not updated', async () => {
    const ecs = new FakeEcs({ 'user:3': 0, 'migrate:7': 0 });
    await expect(handlerFor(ecs, 1_500)()).rejects.toThrow(/services were not updated/);
  });
});
