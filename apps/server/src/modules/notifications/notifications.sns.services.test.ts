import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMemoryArchiveStorage } from '../../archive-storage/drivers/memory/memory.archive-storage.js';
import { getFreePort, stopChild } from '../../test-support/s3-server.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import {
  makeQueuedJobsDue,
  postArchive,
  postRestore,
  runJobsThroughRetries,
  stateOf,
} from '../archive/archive.test-utils.js';
import { createFolderVia, signUp, uploadOne, type TestUser } from '../nodes/nodes.test-utils.js';
import type { ArchiveNotification } from './notifications.models.js';

const findMotoServer = () => {
  const versions = path.join(os.homedir(), '.pyenv', 'versions');
  if (process.env.MOTO_SERVER) return process.env.MOTO_SERVER;
  if (!existsSync(versions)) return undefined;
  return readdirSync(versions)
    .map((version) => path.join(versions, version, 'bin', 'moto_server'))
    .find((candidate) => existsSync(candidate));
};

const moto = findMotoServer();
if (!moto) throw new Error('The SNS notification suite needs moto_server (MOTO_SERVER=<path>).');

const startMoto = async (binary: string) => {
  const port = await getFreePort();
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    const up = await fetch(`${endpoint}/moto-api/`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    await sleep(100);
  }
  return { endpoint, close: () => stopChild(child) };
};

/** What an SQS queue subscribed to the topic receives: SNS's envelope around our message. */
type Delivered = {
  Subject: string;
  Message: string;
  MessageAttributes: Record<string, { Type: string; Value: string }>;
};

describe('archive and restore outcomes published to SNS (moto_server)', () => {
  const savedEnv = { ...process.env };
  const cold = createMemoryArchiveStorage();
  const aws = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  let stand: { endpoint: string; close(): Promise<void> };
  let sns: SNSClient;
  let sqs: SQSClient;
  let topicArn: string;
  let queueUrl: string;
  let testApp: TestApp;
  let user: TestUser;

  const received = async (): Promise<Delivered[]> => {
    const messages: Delivered[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      if (Messages.length === 0) return messages;
      messages.push(...Messages.map((message) => JSON.parse(message.Body ?? '') as Delivered));
    }
  };
  const bodies = (messages: Delivered[]) =>
    messages.map((message) => JSON.parse(message.Message) as ArchiveNotification);
  const queuedPublishes = () =>
    testApp.context.database.db
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('name', '=', 'notification.publish')
      .execute();

  beforeAll(async () => {
    stand = await startMoto(moto);
    const clients = { ...aws, endpoint: stand.endpoint };
    sns = new SNSClient(clients);
    sqs = new SQSClient(clients);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'myfile-notifications' })))
      .TopicArn as string;
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'subscriber' })))
      .QueueUrl as string;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }),
    );
    // The app's SNS client finds moto the way a deployment would find a VPC endpoint name.
    process.env.AWS_ENDPOINT_URL_SNS = stand.endpoint;
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    testApp = await createTestApp({
      archiveStorage: cold.storage,
      env: { NOTIFY_SNS_TOPIC_ARN: topicArn },
    });
    user = await signUp(testApp.app);
  }, 60_000);
  afterAll(async () => {
    await testApp.close();
    sns.destroy();
    sqs.destroy();
    await stand.close();
    process.env = savedEnv;
  });

  test('an archive and a restore each publish their outcome; mail and in-app events stay', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'Rapport été' });
    await uploadOne(testApp.app, user, { name: 'a.txt', content: 'a', folderId: folder.id });
    const inApp: string[] = [];
    const unsubscribe = testApp.context.events.subscribe((event) => {
      if (event.type.startsWith('folder.')) inApp.push(event.type);
    });

    expect((await postArchive(testApp.app, user, folder.id)).statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archived');
    const restore = await postRestore(testApp.app, user, folder.id);
    const restoreJob = restore.json<{ job: { id: string } }>().job.id;
    await runQueuedJobs(testApp.context);
    cold.completeRestores();
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('hot');
    unsubscribe();

    const messages = await received();
    expect(bodies(messages)).toEqual([
      expect.objectContaining({
        type: 'archive.completed',
        userId: user.userId,
        folder: { id: folder.id, name: 'Rapport été' },
        error: null,
      }),
      expect.objectContaining({
        type: 'restore.completed',
        userId: user.userId,
        jobId: restoreJob,
      }),
    ]);
    expect(messages.map((message) => message.Subject)).toEqual([
      'My File: folder archived',
      'My File: folder restored',
    ]);
    expect(messages[1]?.MessageAttributes).toMatchObject({
      type: { Type: 'String', Value: 'restore.completed' },
      userId: { Type: 'String', Value: user.userId },
    });
    expect(inApp).toEqual(['folder.archived', 'folder.unarchived']);
    const mails = await testApp.context.database.db
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', 'mail.send')
      .execute();
    expect(JSON.stringify(mails)).toContain('is restored');
    expect((await queuedPublishes()).map((job) => job.status)).toEqual(['done', 'done']);
  });

  test('a failed restore publishes restore.failed with the reason', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'Cold' });
    await uploadOne(testApp.app, user, { name: 'b.txt', content: 'b', folderId: folder.id });
    await postArchive(testApp.app, user, folder.id);
    await runQueuedJobs(testApp.context);
    await postRestore(testApp.app, user, folder.id);
    await runQueuedJobs(testApp.context);
    cold.failRestores();
    await runJobsThroughRetries(testApp, 1);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archived');

    const [archived, failed, ...rest] = bodies(await received());
    expect(rest).toEqual([]);
    expect(archived).toMatchObject({ type: 'archive.completed', folder: { id: folder.id } });
    expect(failed).toMatchObject({ type: 'restore.failed', folder: { id: folder.id } });
    expect(failed?.error).toMatch(/did not restore/);
  });

  test('a publish SNS refuses is retried, not lost', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'Later' });
    await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    await postArchive(testApp.app, user, folder.id);
    await runQueuedJobs(testApp.context);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archived');
    const waiting = (await queuedPublishes()).filter((job) => job.status === 'queued');
    expect(waiting).toEqual([{ status: 'queued', attempts: 1 }]);

    // The topic is back (same name, same ARN) with its subscriber.
    await sns.send(new CreateTopicCommand({ Name: 'myfile-notifications' }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }),
    );
    await runJobsThroughRetries(testApp, 1);
    expect(bodies(await received())).toEqual([
      expect.objectContaining({
        type: 'archive.completed',
        folder: { id: folder.id, name: 'Later' },
      }),
    ]);
  });
});
