import type { SearchHit } from '@myfile/contract';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, expect, test, vi } from 'vitest';
import { json, stubFetch } from '../test-support/fetch-stub.js';
import { ToastProvider } from '../ui/toasts.js';
import { SearchPage } from './search-page.js';

afterEach(() => vi.unstubAllGlobals());

const hit: SearchHit = {
  id: 'f1',
  kind: 'file',
  parentId: 'trips',
  name: 'photo-sunset.jpg',
  size: 2048,
  contentType: 'image/jpeg',
  sha256: null,
  storageState: 'archived',
  thumbnailUrl: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  path: [{ id: 'trips', name: 'Trips' }],
  matchedBy: 'name',
  trashed: true,
  snippet: null,
  starred: false,
};

test('results say where each hit is, its size, trash and archive, and how many there are', async () => {
  const requests = stubFetch(({ url }) =>
    url.startsWith('/api/search?')
      ? json(200, { items: [hit], nextCursor: null, total: 1000, totalIsExact: false })
      : json(404, { error: { code: 'not_found', message: 'Not found.' } }),
  );
  render(
    <QueryClientProvider
      client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <ToastProvider>
        <MemoryRouter initialEntries={['/search?q=sunset&kind=file']}>
          <SearchPage />
        </MemoryRouter>
      </ToastProvider>
    </QueryClientProvider>,
  );
  expect(screen.getByRole('heading', { name: 'Results for “sunset”' })).toBeTruthy();
  expect(document.title).toContain('Search: sunset');
  const results = await screen.findByRole('list', { name: 'Search results' });
  expect(
    within(results).getByText('in My files / Trips · 2 KiB · in the trash · archived'),
  ).toBeTruthy();
  expect(screen.getByText('More than 1,000 found')).toBeTruthy();
  expect(screen.getByRole('form', { name: 'Search filters' })).toBeTruthy();
  expect(screen.getByLabelText<HTMLSelectElement>('Kind').value).toBe('file');
  expect(requests[0]?.url).toMatch(/q=sunset/);
});
