import type { DomainEvent } from '@myfile/contract';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, expect, test, vi } from 'vitest';
import { archiveToast } from './archive-toast.js';
import { invalidateForEvent, roundsOfInvalidation } from './event-invalidation.js';
import { connectLiveEvents, type LiveStatus } from './live-events.js';

class FakeSocket {
  onmessage: ((message: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

const fileEvent: DomainEvent = {
  type: 'file.created',
  userId: 'u1',
  at: '2026-01-01T00:00:00.000Z',
  file: { id: 'f1', parentId: 'folder-1', name: 'a.txt', size: 1, contentType: 'text/plain' },
};

afterEach(() => vi.useRealTimers());

const connect = () => {
  const sockets: FakeSocket[] = [];
  const events: DomainEvent[] = [];
  const statuses: LiveStatus[] = [];
  const onReset = vi.fn();
  const onSessionEnded = vi.fn();
  const stop = connectLiveEvents({
    onEvent: (event) => events.push(event),
    onReset,
    onStatus: (status) => statuses.push(status),
    onSessionEnded,
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
  });
  return { sockets, events, statuses, onReset, onSessionEnded, stop };
};

test('delivers events, then reconnects after a drop asking to replay since the last id', () => {
  vi.useFakeTimers();
  const live = connect();
  const first = live.sockets[0];
  expect(first?.url).toMatch(/\/api\/events$/);
  first?.receive({ type: 'ready' });
  first?.receive({ type: 'event', id: '1732250000000-3', event: fileEvent });
  expect(live.events).toEqual([fileEvent]);
  expect(live.statuses).toEqual(['connecting', 'live']);

  first?.onclose?.({ code: 1006 });
  expect(live.statuses.at(-1)).toBe('offline');
  vi.advanceTimersByTime(1_000);
  expect(live.sockets[1]?.url).toMatch(/\/api\/events\?since=1732250000000-3$/);
  live.sockets[1]?.receive({ type: 'reset' });
  expect(live.onReset).toHaveBeenCalledOnce();
  live.stop();
  expect(live.sockets[1]?.closed).toBe(true);
});

test('a session that ended is not reconnected', () => {
  vi.useFakeTimers();
  const live = connect();
  live.sockets[0]?.onclose?.({ code: 4401 });
  vi.advanceTimersByTime(60_000);
  expect(live.sockets).toHaveLength(1);
  expect(live.onSessionEnded).toHaveBeenCalledOnce();
});

test('a file event refreshes its folder, cached under its id and as root', () => {
  const queryClient = new QueryClient();
  queryClient.setQueryData(['folder', 'root'], { id: 'folder-1' });
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  invalidateForEvent(queryClient, fileEvent);
  const keys = invalidate.mock.calls.map(([filters]) => JSON.stringify(filters?.queryKey));
  expect(keys).toEqual(
    expect.arrayContaining([
      JSON.stringify(['children', 'folder-1']),
      JSON.stringify(['children', 'root']),
      JSON.stringify(['usage']),
    ]),
  );
  expect(keys).not.toContain(JSON.stringify(['trash']));
});

test('archive events become toasts; a restore links to its folder, a failure gives the reason', () => {
  const folder = { id: 'f9', parentId: 'root', name: 'Photos', size: 0, contentType: null };
  const base = { userId: 'u1', at: '2026-01-01T00:00:00.000Z', folder, jobId: 'j1' };
  expect(archiveToast({ ...base, type: 'folder.unarchived' })).toEqual({
    message: 'Folder “Photos” restored.',
    tone: 'success',
    link: { label: 'Open', to: '/folders/f9' },
  });
  expect(archiveToast({ ...base, type: 'folder.archived' })?.message).toBe(
    'Folder “Photos” archived.',
  );
  expect(
    archiveToast({ ...base, type: 'folder.restore_failed', error: 'The cold tier said no.' }),
  ).toMatchObject({
    message: 'The restore of “Photos” failed: The cold tier said no.',
    tone: 'error',
  });
  expect(
    archiveToast({ ...base, type: 'folder.archive_failed', error: 'The cold tier is full.' }),
  ).toMatchObject({
    message: 'Archiving “Photos” failed: The cold tier is full. Its files are being brought back.',
    tone: 'error',
  });
  expect(archiveToast(fileEvent)).toBeUndefined();
});

test('job.updated puts the job itself in the cache, so progress needs no request', () => {
  const queryClient = new QueryClient();
  const job = {
    id: 'j1',
    name: 'archive.folder',
    status: 'running' as const,
    progress: { filesDone: 1 },
    error: null,
  };
  invalidateForEvent(queryClient, { type: 'job.updated', userId: 'u1', at: fileEvent.at, job });
  expect(queryClient.getQueryData(['job', 'j1'])).toEqual(job);
});

test('file.updated (e.g. a thumbnail became ready) refreshes its folder listing and search', () => {
  const queryClient = new QueryClient();
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  invalidateForEvent(queryClient, { ...fileEvent, type: 'file.updated' });
  const keys = invalidate.mock.calls.map(([filters]) => JSON.stringify(filters?.queryKey));
  expect(keys).toEqual(
    expect.arrayContaining([JSON.stringify(['children', 'folder-1']), JSON.stringify(['search'])]),
  );
});

test('a change to an item refreshes its activity in an open details pane', () => {
  const queryClient = new QueryClient();
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  invalidateForEvent(queryClient, { ...fileEvent, type: 'file.moved' });
  const keys = invalidate.mock.calls.map(([filters]) => JSON.stringify(filters?.queryKey));
  expect(keys).toContain(JSON.stringify(['activity', 'f1']));
});

test('a burst of events refreshes each view once, and the next round waits for the last one', async () => {
  vi.useFakeTimers();
  const queryClient = new QueryClient();
  const answers: ((value: string[]) => void)[] = [];
  const observer = new QueryObserver(queryClient, {
    queryKey: ['children', 'folder-1'],
    queryFn: () => new Promise<string[]>((resolve) => answers.push(resolve)),
  });
  const unsubscribe = observer.subscribe(() => {});
  answers.shift()?.(['a.txt']);
  await vi.runAllTimersAsync();
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  const listings = () =>
    invalidate.mock.calls.filter(
      ([filters]) => JSON.stringify(filters?.queryKey) === '["children","folder-1"]',
    ).length;
  const rounds = roundsOfInvalidation(queryClient, 100);
  const moved = (index: number): DomainEvent => ({
    ...fileEvent,
    type: 'file.moved',
    file: { ...fileEvent.file, id: `f${index}` },
  });

  for (let index = 0; index < 1000; index += 1) {
    invalidateForEvent(queryClient, moved(index), rounds.invalidate);
  }
  expect(listings()).toBe(0);
  await vi.advanceTimersByTimeAsync(100);
  expect(listings()).toBe(1);
  expect(answers).toHaveLength(1);

  // More events while that listing is still on its way: they wait for it, not cancel it.
  for (let index = 0; index < 50; index += 1) {
    invalidateForEvent(queryClient, moved(index), rounds.invalidate);
  }
  await vi.advanceTimersByTimeAsync(1000);
  expect(listings()).toBe(1);
  answers.shift()?.([]);
  await vi.advanceTimersByTimeAsync(100);
  expect(listings()).toBe(2);
  answers.shift()?.([]);
  await vi.advanceTimersByTimeAsync(1000);
  expect(listings()).toBe(2);
  expect(queryClient.getQueryData(['children', 'folder-1'])).toEqual([]);

  // Stopped, neither a round already waiting for its window nor a new event refreshes.
  invalidateForEvent(queryClient, moved(1), rounds.invalidate);
  rounds.stop();
  invalidateForEvent(queryClient, moved(2), rounds.invalidate);
  await vi.advanceTimersByTimeAsync(1000);
  expect(listings()).toBe(2);
  unsubscribe();
});
