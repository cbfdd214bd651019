import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf } from '../../../test-support/fixtures.js';
import { createTwoTestApps, type TwoTestApps } from '../../../test-support/two-apps.js';
import { LIMIT, newToken, usage } from './token-rate-limit.test-utils.js';

// Only Redis is shared between processes; embedded, each process counts alone.
describe('the limit holds across instances', () => {
  let apps: TwoTestApps;
  beforeAll(async () => {
    apps = await createTwoTestApps({ env: { TOKEN_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(async () => apps.close());

  test('calls spread over two instances share one budget', async () => {
    const user = await fixturesOf(apps.first.context).newUser();
    const headers = { authorization: `Bearer ${await newToken(apps.first.context, user)}` };
    const answers = [];
    for (let call = 0; call <= LIMIT; call += 1) {
      answers.push((await usage(call % 2 ? apps.second : apps.first, headers)).statusCode);
    }
    expect(answers).toEqual([...Array<number>(LIMIT).fill(200), 429]);
  });
});
