import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

/**
 * SHA-256 of large bodies, in a thread of its own: at about 1 GB/s per core, hashing on the
 * event loop took a third of an upload's time there. Each body is a session; its bytes arrive
 * in order, and every batch is acknowledged so the sender can hold back. The acknowledgment
 * hands the batch's memory back, for the sender to fill again.
 */
export type HashWorkerInput =
  | { type: 'bytes'; id: number; bytes: ArrayBuffer; length: number }
  | { type: 'end'; id: number }
  | { type: 'abort'; id: number };
export type HashWorkerOutput =
  | { type: 'hashed'; id: number; length: number; bytes: ArrayBuffer }
  | { type: 'digest'; id: number; digest: string };

const hashes = new Map<number, Hash>();
const post = (message: HashWorkerOutput) =>
  parentPort?.postMessage(message, message.type === 'hashed' ? [message.bytes] : []);

parentPort?.on('message', (message: HashWorkerInput) => {
  if (message.type === 'abort') {
    hashes.delete(message.id);
    return;
  }
  let hash = hashes.get(message.id);
  if (!hash) {
    hash = createHash('sha256');
    hashes.set(message.id, hash);
  }
  if (message.type === 'bytes') {
    hash.update(new Uint8Array(message.bytes, 0, message.length));
    // update() has read the bytes when it returns: the memory is free to go back.
    post({ type: 'hashed', id: message.id, length: message.length, bytes: message.bytes });
    return;
  }
  hashes.delete(message.id);
  post({ type: 'digest', id: message.id, digest: hash.digest('hex') });
});
