import type { NodeDto } from '@myfile/contract';
import { errorMessage } from '../api/api-error.js';

export type UploadStatus = 'queued' | 'uploading' | 'paused' | 'done' | 'failed' | 'cancelled';

export type UploadItem = {
  id: string;
  name: string;
  folderId: string;
  size: number;
  loaded: number;
  status: UploadStatus;
  error?: string;
  /** The server's name when it differs from the one sent (a conflict was renamed). */
  savedAs?: string;
};

/** One file's transfer; `start` again after `pause` continues (tus) or restarts (a form post). */
export type Transfer = {
  start(): Promise<NodeDto>;
  pause(): void;
  cancel(): void;
};

export type CreateTransfer = (input: {
  file: File;
  folderId: string;
  onProgress(loaded: number): void;
}) => Transfer;

type Entry = { item: UploadItem; file: File; transfer?: Transfer; attempt: number };

let nextId = 1;

/**
 * The upload queue: a few files at a time, each paused, resumed, cancelled or retried on its
 * own. Views read immutable snapshots (useSyncExternalStore).
 */
export class UploadQueue {
  private entries: Entry[] = [];
  private snapshot: readonly UploadItem[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly createTransfer: CreateTransfer;
  private readonly concurrency: number;
  private readonly onUploaded: (node: NodeDto) => void;

  constructor(options: {
    createTransfer: CreateTransfer;
    concurrency?: number;
    onUploaded?: (node: NodeDto) => void;
  }) {
    this.createTransfer = options.createTransfer;
    this.concurrency = options.concurrency ?? 3;
    this.onUploaded = options.onUploaded ?? (() => {});
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = () => this.snapshot;

  add(files: { file: File; folderId: string }[]) {
    for (const { file, folderId } of files) {
      this.entries.push({
        item: {
          id: `upload-${nextId++}`,
          name: file.name,
          folderId,
          size: file.size,
          loaded: 0,
          status: 'queued',
        },
        file,
        attempt: 0,
      });
    }
    this.changed();
    this.pump();
  }

  pause(id: string) {
    const entry = this.find(id);
    if (!entry || (entry.item.status !== 'uploading' && entry.item.status !== 'queued')) return;
    entry.attempt += 1;
    entry.transfer?.pause();
    this.update(entry, { status: 'paused' });
    this.pump();
  }

  resume(id: string) {
    const entry = this.find(id);
    if (!entry || (entry.item.status !== 'paused' && entry.item.status !== 'failed')) return;
    const { error: _error, ...rest } = entry.item;
    entry.item = rest;
    this.update(entry, { status: 'queued' });
    this.pump();
  }

  retry(id: string) {
    this.resume(id);
  }

  cancel(id: string) {
    const entry = this.find(id);
    if (!entry || entry.item.status === 'done' || entry.item.status === 'cancelled') return;
    entry.attempt += 1;
    entry.transfer?.cancel();
    entry.transfer = undefined;
    this.update(entry, { status: 'cancelled' });
    this.pump();
  }

  /** Drops finished and cancelled rows; what is still moving stays. */
  clearFinished() {
    this.entries = this.entries.filter(
      (entry) => entry.item.status !== 'done' && entry.item.status !== 'cancelled',
    );
    this.changed();
  }

  private find(id: string) {
    return this.entries.find((entry) => entry.item.id === id);
  }

  private update(entry: Entry, patch: Partial<UploadItem>) {
    entry.item = { ...entry.item, ...patch };
    this.changed();
  }

  private changed() {
    this.snapshot = this.entries.map((entry) => entry.item);
    for (const listener of this.listeners) listener();
  }

  private pump() {
    let running = this.entries.filter((entry) => entry.item.status === 'uploading').length;
    for (const entry of this.entries) {
      if (running >= this.concurrency) break;
      if (entry.item.status !== 'queued') continue;
      running += 1;
      this.run(entry);
    }
  }

  private run(entry: Entry) {
    const attempt = ++entry.attempt;
    const current = () => entry.attempt === attempt;
    // A resumed transfer is the same object, holding this callback from its first run: it
    // must not be tied to that run's attempt, or the bar freezes after Resume.
    entry.transfer ??= this.createTransfer({
      file: entry.file,
      folderId: entry.item.folderId,
      onProgress: (loaded) => {
        if (entry.item.status === 'uploading') {
          this.update(entry, { loaded: Math.min(loaded, entry.item.size) });
        }
      },
    });
    this.update(entry, { status: 'uploading' });
    entry.transfer.start().then(
      (node) => {
        if (!current()) return;
        entry.transfer = undefined;
        this.update(entry, {
          status: 'done',
          loaded: entry.item.size,
          ...(node.name !== entry.item.name ? { savedAs: node.name } : {}),
        });
        this.onUploaded(node);
        this.pump();
      },
      (error: unknown) => {
        if (!current()) return;
        this.update(entry, { status: 'failed', error: errorMessage(error) });
        this.pump();
      },
    );
  }
}
