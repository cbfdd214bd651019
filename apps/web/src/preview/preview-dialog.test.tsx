import type { NodeDto } from '@myfile/contract';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, expect, test, vi } from 'vitest';
import { json, stubFetch } from '../test-support/fetch-stub.js';
import { PreviewDialog } from './preview-dialog.js';
import { previewKind } from './preview-kinds.js';

afterEach(() => vi.unstubAllGlobals());
// The first preview of a kind loads its viewer's chunk, which is slow on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const node = (id: string, name: string, contentType: string | null, kind = 'file'): NodeDto => ({
  id,
  kind: kind === 'folder' ? 'folder' : 'file',
  parentId: 'root',
  name,
  size: 20,
  contentType,
  sha256: null,
  storageState: 'hot',
  thumbnailUrl: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const folder = [
  node('d', 'Drafts', null, 'folder'),
  node('a', 'a-photo.png', 'image/png'),
  node('z', 'archive.zip', 'application/zip'),
  node('b', 'b-notes.md', 'text/plain'),
  node('c', 'c-script.ts', 'text/plain'),
];

const texts: Record<string, string> = {
  b: '# Notes\n\nSome **bold** text <script>alert(1)</script><img src="/x" onerror="alert(2)"> and [a link](https://example.com).\n\n<a href="javascript:alert(1)">bad</a> [worse](javascript:alert(3)) ![picture](/api/auth/logout)',
  c: 'const answer: number = 42; // the answer\n',
};

/** The folder page's wiring: the dialog follows ← and → through the folder's entries. */
const Harness = ({ start }: { start: NodeDto }) => {
  const [file, setFile] = useState(start);
  return (
    <PreviewDialog file={file} siblings={folder} onNavigate={setFile} onClose={() => undefined} />
  );
};

const renderPreview = (start: NodeDto) => {
  const requests = stubFetch(({ url }) => {
    const id = /\/api\/files\/(\w+)\/content/.exec(url)?.[1];
    if (id && texts[id] !== undefined) return new Response(texts[id], { status: 206 });
    if (url === '/api/auth/me') return json(200, { id: 'me' });
    return json(404, { error: { code: 'not_found', message: 'Not found.' } });
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <Harness start={start} />
    </QueryClientProvider>,
  );
  return { requests, user: userEvent.setup() };
};

test('how each file previews: by sniffed type for media, by name for Markdown and code', () => {
  expect(previewKind({ name: 'x.jpg', contentType: 'image/jpeg' })).toBe('image');
  expect(previewKind({ name: 'x.svg', contentType: 'image/svg+xml' })).toBe('code');
  expect(previewKind({ name: 'x.mp4', contentType: 'video/mp4' })).toBe('video');
  expect(previewKind({ name: 'x.ogg', contentType: 'audio/ogg' })).toBe('audio');
  expect(previewKind({ name: 'x.pdf', contentType: 'application/pdf' })).toBe('pdf');
  expect(previewKind({ name: 'README.md', contentType: 'text/plain' })).toBe('markdown');
  expect(previewKind({ name: 'page.html', contentType: 'text/html' })).toBe('code');
  expect(previewKind({ name: 'notes.txt', contentType: 'text/plain' })).toBe('text');
  expect(previewKind({ name: 'x.zip', contentType: 'application/zip' })).toBeNull();
  // A name cannot make bytes the server calls binary into text.
  expect(previewKind({ name: 'x.ts', contentType: 'application/octet-stream' })).toBeNull();
});

test('← and → and the buttons step through the previewable files only, stopping at the ends', async () => {
  const { user } = renderPreview(folder[1] as NodeDto);
  expect(screen.getByRole('heading', { name: 'a-photo.png' })).toBeTruthy();
  expect(screen.getByText('1 of 3')).toBeTruthy();
  expect(screen.getByRole('button', { name: '← Previous' })).toHaveProperty('disabled', true);

  await user.keyboard('{ArrowRight}');
  // The zip and the folder are skipped.
  expect(await screen.findByRole('heading', { name: 'b-notes.md' })).toBeTruthy();
  await user.click(screen.getByRole('button', { name: 'Next →' }));
  expect(await screen.findByRole('heading', { name: 'c-script.ts' })).toBeTruthy();
  expect(screen.getByText('3 of 3')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Next →' })).toHaveProperty('disabled', true);
  await user.keyboard('{ArrowRight}');
  expect(screen.getByRole('heading', { name: 'c-script.ts' })).toBeTruthy();

  await user.keyboard('{ArrowLeft}{ArrowLeft}');
  expect(await screen.findByRole('heading', { name: 'a-photo.png' })).toBeTruthy();
});

test('an image zooms with the buttons and + − 0, and fits again', async () => {
  const { user } = renderPreview(folder[1] as NodeDto);
  const image = await screen.findByRole('img', { name: 'a-photo.png' });
  Object.defineProperty(image, 'naturalWidth', { value: 400 });
  Object.defineProperty(image, 'naturalHeight', { value: 200 });
  // Fitted into the dialog at half its size.
  Object.defineProperty(image, 'width', { value: 200 });
  image.dispatchEvent(new Event('load'));
  const zoom = () =>
    screen.getByRole('group', { name: 'Zoom' }).querySelector('output')?.textContent;
  const fit = screen.getByRole('button', { name: 'Fit' });
  await waitFor(() => expect(zoom()).toBe('50%'));
  expect(fit.getAttribute('aria-pressed')).toBe('true');

  await user.click(screen.getByRole('button', { name: 'Zoom in' }));
  await waitFor(() => expect(image.style.width).not.toBe(''));
  const first = Number(zoom()?.replace('%', ''));
  expect(first).toBe(75);
  expect(fit.getAttribute('aria-pressed')).toBe('false');
  await user.keyboard('+');
  expect(Number(zoom()?.replace('%', ''))).toBeGreaterThan(first);
  expect(image.style.width).toBe(`${(400 * Number(zoom()?.replace('%', ''))) / 100}px`);
  await user.keyboard('--');
  expect(Number(zoom()?.replace('%', ''))).toBeLessThan(first);
  await user.keyboard('0');
  expect(fit.getAttribute('aria-pressed')).toBe('true');
  expect(image.style.width).toBe('');
  await user.click(screen.getByRole('button', { name: 'Zoom out' }));
  expect(fit.getAttribute('aria-pressed')).toBe('false');
});

test('Markdown is rendered and sanitised: raw HTML shown as text, no picture, no javascript: link', async () => {
  renderPreview(folder[3] as NodeDto);
  const heading = await screen.findByRole('heading', { name: 'Notes', level: 1 });
  const body = heading.closest('.markdown-preview') as HTMLElement;
  expect(body.querySelector('strong')?.textContent).toBe('bold');
  expect(body.querySelector('script')).toBeNull();
  expect(body.textContent).toContain('<script>alert(1)</script>');
  expect(body.querySelector('img')).toBeNull();
  expect(body.querySelector('[onerror]')).toBeNull();
  const links = [...body.querySelectorAll('a')];
  expect(links.map((link) => link.getAttribute('href'))).not.toContain('javascript:alert(1)');
  const external = screen.getByRole('link', { name: 'a link' });
  expect(external.getAttribute('target')).toBe('_blank');
  expect(external.getAttribute('rel')).toContain('noopener');
});

test('code is highlighted by its extension, its text escaped', async () => {
  texts.c = 'const tag = "<b>not bold</b>"; // comment\n';
  renderPreview(folder[4] as NodeDto);
  await waitFor(() => expect(document.querySelector('code.hljs .hljs-keyword')).toBeTruthy());
  const code = document.querySelector('code.hljs') as HTMLElement;
  expect(code.dataset.language).toBe('typescript');
  expect(code.querySelector('.hljs-keyword')?.textContent).toBe('const');
  expect(code.querySelector('.hljs-comment')?.textContent).toBe('// comment');
  expect(code.querySelector('b')).toBeNull();
  expect(code.textContent).toContain('"<b>not bold</b>"');
});
