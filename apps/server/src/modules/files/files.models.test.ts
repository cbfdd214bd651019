import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { contentDisposition, isSafeInline, parseRangeHeader } from './files.models.js';
import { detectContentType, sniffContentType } from './files.sniffing.js';

describe('range parsing', () => {
  test.each([
    ['bytes=0-0', 10, { kind: 'partial', start: 0, end: 0 }],
    ['bytes=-3', 10, { kind: 'partial', start: 7, end: 9 }],
    ['bytes=8-', 10, { kind: 'partial', start: 8, end: 9 }],
    ['bytes=10-', 10, { kind: 'unsatisfiable' }],
    ['bytes=-0', 10, { kind: 'unsatisfiable' }],
    ['bytes=0-', 0, { kind: 'unsatisfiable' }],
    ['bytes=0-1,3-4', 10, { kind: 'full' }],
    ['bytes=a-b', 10, { kind: 'full' }],
    [undefined, 10, { kind: 'full' }],
  ] as const)('%s of %i bytes', (header, size, expected) => {
    expect(parseRangeHeader(header, size)).toEqual(expected);
  });
});

describe('content disposition', () => {
  test('never lets quotes, CR/LF or non-ASCII into the quoted fallback', () => {
    expect(contentDisposition('attachment', 'a"b\\c\r\nd é.txt')).toBe(
      `attachment; filename="a_b_c__d _.txt"; filename*=UTF-8''a%22b%5Cc%0D%0Ad%20%C3%A9.txt`,
    );
  });

  test('inline only for passive types', () => {
    for (const type of ['image/png', 'application/pdf', 'text/plain', 'audio/mpeg', 'video/mp4']) {
      expect(isSafeInline(type), type).toBe(true);
    }
    for (const type of [
      'image/svg+xml',
      'text/html',
      'application/xml',
      'application/javascript',
    ]) {
      expect(isSafeInline(type), type).toBe(false);
    }
  });
});

describe('sniffing', () => {
  test('recognises types from bytes and markup that could run', async () => {
    expect(await detectContentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(await detectContentType(Buffer.from('just words'))).toBe('text/plain');
    expect(await detectContentType(Buffer.from('<svg xmlns="x"></svg>'))).toBe('image/svg+xml');
    expect(await detectContentType(Buffer.from('  <!DOCTYPE html><p>'))).toBe('text/html');
    expect(await detectContentType(Buffer.from([0, 1, 2, 3]))).toBe('application/octet-stream');
  });

  test('hands back every byte after peeking, across many chunks', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(1000, i));
    const { stream } = await sniffContentType(Readable.from(chunks));
    const out: Buffer[] = [];
    for await (const chunk of stream) out.push(chunk as Buffer);
    expect(Buffer.concat(out).equals(Buffer.concat(chunks))).toBe(true);
  });
});
