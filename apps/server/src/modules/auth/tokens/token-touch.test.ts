import { describe, expect, test } from 'vitest';
import { createTouchLimiter, TOKEN_TOUCH_INTERVAL_MS } from './token-touch.js';

describe('token touch limiter', () => {
  test('a token is due once per interval; each token keeps its own clock', () => {
    let now = 1_000_000;
    const touches = createTouchLimiter({ now: () => now });
    expect(touches.due('a')).toBe(true);
    expect(touches.due('a')).toBe(false);
    expect(touches.due('b')).toBe(true);
    now += TOKEN_TOUCH_INTERVAL_MS - 1;
    expect(touches.due('a')).toBe(false);
    now += 1;
    expect(touches.due('a')).toBe(true);
    expect(touches.due('a')).toBe(false);
  });
});
