import { expect, test } from 'vitest';
import { allowedOrigins, originMismatchMessage, servesHttps } from './origins.js';

test('a loopback PUBLIC_URL also accepts its loopback aliases on the same port and scheme', () => {
  expect(allowedOrigins('http://localhost:8080')).toEqual([
    'http://localhost:8080',
    'http://127.0.0.1:8080',
    'http://[::1]:8080',
  ]);
  expect(allowedOrigins('http://127.0.0.1:3000/')).toContain('http://localhost:3000');
});

test('any other PUBLIC_URL accepts exactly its own origin', () => {
  expect(allowedOrigins('https://files.example.com/app')).toEqual(['https://files.example.com']);
  expect(allowedOrigins('http://nas.local:8080')).toEqual(['http://nas.local:8080']);
});

test('https is decided by PUBLIC_URL alone', () => {
  expect(servesHttps('https://files.example.com')).toBe(true);
  expect(servesHttps('http://nas.local:8080')).toBe(false);
});

test('a mismatch names both addresses and what to do', () => {
  expect(originMismatchMessage('http://nas.local:8080', 'http://localhost:8080')).toBe(
    'This page is open at http://nas.local:8080, but this server accepts requests only from ' +
      'http://localhost:8080. Open http://localhost:8080 instead, or ask whoever runs it to set ' +
      'PUBLIC_URL to the address you use.',
  );
});
