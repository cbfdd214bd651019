import type { NodeDto } from '@myfile/contract';
import { afterAll, beforeAll } from 'vitest';

/**
 * jsdom has no layout: for the calling test file, every element measures 800 × 480 (four
 * 168 px tiles across, ten 48 px rows down), put back afterwards.
 */
export const useFixedLayout = () => {
  const descriptors = ['clientHeight', 'clientWidth', 'offsetHeight', 'offsetWidth'].map(
    (name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)] as const,
  );
  beforeAll(() => {
    for (const [name] of descriptors) {
      Object.defineProperty(HTMLElement.prototype, name, {
        configurable: true,
        get: () => (name.endsWith('Height') ? 480 : 800),
      });
    }
  });
  afterAll(() => {
    for (const [name, descriptor] of descriptors) {
      if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
    }
  });
};

/** `count` entries named entry-00000…, the first two folders, the rest files shaped by `file`. */
export const makeNodes = (
  count: number,
  file: (index: number) => Pick<NodeDto, 'contentType' | 'thumbnailUrl'>,
): NodeDto[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `id-${index}`,
    kind: index < 2 ? 'folder' : 'file',
    parentId: 'root',
    name: `entry-${String(index).padStart(5, '0')}`,
    size: index,
    sha256: null,
    storageState: 'hot',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...(index < 2 ? { contentType: null, thumbnailUrl: null } : file(index)),
  }));
