import { expect, test } from 'vitest';
import { humanKind } from './kinds.js';

const file = (name: string, contentType: string | null) =>
  humanKind({ kind: 'file', name, contentType });

test('the Type column says what a file is in words, by its extension first', () => {
  expect(file('notes.md', 'text/plain')).toBe('Markdown');
  expect(file('data.JSON', 'text/plain')).toBe('JSON');
  expect(file('photo.jpg', 'image/jpeg')).toBe('JPEG image');
  expect(file('report.pdf', 'application/pdf')).toBe('PDF document');
});

test('without a known extension the sniffed type decides, never shown raw', () => {
  expect(file('scan', 'image/png')).toBe('Image');
  expect(file('README', 'text/plain; charset=utf-8')).toBe('Text');
  expect(file('blob.bin', 'application/octet-stream')).toBe('BIN file');
  expect(file('noext', 'application/octet-stream')).toBe('File');
  expect(file('noext', null)).toBe('File');
  expect(humanKind({ kind: 'folder', name: 'a.txt', contentType: null })).toBe('Folder');
});
