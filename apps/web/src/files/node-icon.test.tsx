import { fireEvent, render, screen } from '@testing-library/react';
import { expect, test } from 'vitest';
import { NodeIcon } from './node-icon.js';

const photo = {
  kind: 'file' as const,
  contentType: 'image/png',
  name: 'cat.png',
  thumbnailUrl: '/api/files/1/thumbnail?v=a',
};

test('a file with a thumbnail shows it, lazily, with alt text', () => {
  render(<NodeIcon node={photo} />);
  const image = screen.getByRole('img', { name: 'Thumbnail of cat.png' });
  expect(image.getAttribute('src')).toBe(photo.thumbnailUrl);
  expect(image.getAttribute('loading')).toBe('lazy');
});

test('a thumbnail that fails to load falls back to the icon; new content tries again', () => {
  const { container, rerender } = render(<NodeIcon node={photo} />);
  fireEvent.error(screen.getByRole('img'));
  expect(screen.queryByRole('img')).toBeNull();
  expect(container.querySelector('svg.node-icon-image')).not.toBeNull();
  rerender(<NodeIcon node={{ ...photo, thumbnailUrl: '/api/files/1/thumbnail?v=b' }} />);
  expect(screen.getByRole('img').getAttribute('src')).toBe('/api/files/1/thumbnail?v=b');
});

test('no thumbnail (yet): the icon for its type', () => {
  const { container } = render(<NodeIcon node={{ ...photo, thumbnailUrl: null }} />);
  expect(screen.queryByRole('img')).toBeNull();
  expect(container.querySelector('svg.node-icon-image')).not.toBeNull();
});
