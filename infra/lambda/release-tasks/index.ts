import { ECS } from '@aws-sdk/client-ecs';
import { createReleaseTasksHandler, type ReleaseTask } from './release-tasks.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};

export const handler = createReleaseTasksHandler({
  ecs: new ECS({}),
  cluster: required('CLUSTER'),
  subnets: required('SUBNETS').split(','),
  securityGroups: required('SECURITY_GROUPS').split(','),
  tasks: JSON.parse(required('RELEASE_TASKS')) as ReleaseTask[],
  timeoutMs: Number(required('TIMEOUT_MS')),
});
