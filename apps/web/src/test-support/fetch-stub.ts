import { vi } from 'vitest';

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

export type Request = { url: string; method: string; body: unknown };

/** Stubs `fetch` with `answer`, recording every request with its parsed JSON body. */
export const stubFetch = (answer: (request: Request) => Response) => {
  const requests: Request[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const request = { url, method: init?.method ?? 'GET', body };
    requests.push(request);
    return answer(request);
  });
  return requests;
};
