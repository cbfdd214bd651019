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
});
