import { randomBytes } from 'node:crypto';
import { MiB, generatedMiBStream } from './bench.utils.js';
import { drainRequest, multipartParts, sendRequest } from './http-client.js';

/**
 * The benches' HTTP clients run in a process of their own (see `runClient`), as real clients
 * run on their own machines: they must not take event-loop time from the server measured.
 */
export type ClientTask =
  | {
      kind: 'small-uploads';
      url: string;
      headers: Record<string, string>;
      total: number;
      clients: number;
      namePrefix: string;
      /** Bytes per file; 1 KiB unless set. */
      fileBytes?: number;
    }
  | {
      kind: 'upload';
      url: string;
      headers: Record<string, string>;
      sizeMiB: number;
      multipart: boolean;
    }
  | { kind: 'download'; url: string; headers: Record<string, string> };

export type ClientResult = {
  seconds: number;
  /** Per request, for small uploads. */
  latencies: number[];
  /** The last response's body (an upload's JSON), or the bytes downloaded. */
  body: string;
  bytes: number;
};

const timed = async (work: () => Promise<Omit<ClientResult, 'seconds'>>): Promise<ClientResult> => {
  const started = performance.now();
  const result = await work();
  return { ...result, seconds: (performance.now() - started) / 1000 };
};

const smallUploads = async (task: Extract<ClientTask, { kind: 'small-uploads' }>) => {
  let next = 0;
  const latencies: number[] = [];
  const fileBytes = task.fileBytes ?? 1024;
  const client = async () => {
    while (next < task.total) {
      const index = next++;
      const { contentType, head, tail } = multipartParts(`${task.namePrefix}-${index}.bin`);
      const started = performance.now();
      const result = await sendRequest(task.url, {
        method: 'POST',
        headers: { ...task.headers, 'content-type': contentType },
        body: Buffer.concat([head, randomBytes(fileBytes), tail]),
      });
      if (result.status !== 201)
        throw new Error(`upload failed: ${result.status} ${result.body.toString()}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: task.clients }, client));
  return { latencies, body: '', bytes: task.total * fileBytes };
};

const upload = async (task: Extract<ClientTask, { kind: 'upload' }>) => {
  const chunk = randomBytes(MiB);
  const bytes = task.sizeMiB * MiB;
  const { contentType, head, tail } = multipartParts('big.bin');
  async function* body() {
    if (task.multipart) yield head;
    yield* generatedMiBStream(task.sizeMiB, chunk) as AsyncIterable<Buffer>;
    if (task.multipart) yield tail;
  }
  const length = task.multipart ? head.length + bytes + tail.length : bytes;
  const result = await sendRequest(task.url, {
    method: task.multipart ? 'POST' : 'PUT',
    headers: {
      ...task.headers,
      ...(task.multipart ? { 'content-type': contentType } : {}),
      'content-length': String(length),
    },
    body: body(),
    fresh: true,
  });
  if (result.status >= 300)
    throw new Error(`upload failed: ${result.status} ${result.body.toString()}`);
  return { latencies: [], body: result.body.toString(), bytes };
};

const download = async (task: Extract<ClientTask, { kind: 'download' }>) => ({
  latencies: [],
  body: '',
  bytes: await drainRequest(task.url, task.headers),
});

const run = (task: ClientTask) =>
  timed(() =>
    task.kind === 'small-uploads'
      ? smallUploads(task)
      : task.kind === 'upload'
        ? upload(task)
        : download(task),
  );

process.once('message', (task) => {
  run(task as ClientTask).then(
    (result) => process.send?.(result),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
