import { describe, expect, test } from 'vitest';
import { toErrorAnswer } from './error-handler.js';

describe('toErrorAnswer', () => {
  test.each(['22021', '22008', '22007', '22P02'])(
    'a PostgreSQL data exception (%s) is the request’s fault: 400 invalid_request',
    (code) => {
      const error = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
        code,
      });
      expect(toErrorAnswer(error)).toMatchObject({ statusCode: 400, code: 'invalid_request' });
      expect(toErrorAnswer(error).message).not.toContain('UTF8');
    },
  );

  test('other database errors stay 500 internal', () => {
    const error = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(toErrorAnswer(error)).toMatchObject({ statusCode: 500, code: 'internal' });
  });

  test.each([
    ['ENOSPC', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })],
    ['EDQUOT', Object.assign(new Error('disk quota exceeded'), { code: 'EDQUOT' })],
    ['PostgreSQL disk_full', Object.assign(new Error('could not extend file'), { code: '53100' })],
    [
      'a wrapped ENOSPC',
      new Error('write failed', { cause: Object.assign(new Error('x'), { code: 'ENOSPC' }) }),
    ],
  ])('a full disk (%s) is 507 insufficient_storage, not an outage', (_, error) => {
    expect(toErrorAnswer(error)).toMatchObject({
      statusCode: 507,
      code: 'insufficient_storage',
    });
  });

  test('other PostgreSQL resource errors stay 503 unavailable', () => {
    const error = Object.assign(new Error('too many connections'), { code: '53300' });
    expect(toErrorAnswer(error)).toMatchObject({ statusCode: 503, code: 'unavailable' });
  });
});
