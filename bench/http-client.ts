import http from 'node:http';

/** Sends `body` chunks as one HTTP request and resolves with the status and response body. */
export const sendRequest = (
  url: string,
  {
    method,
    headers,
    body,
    fresh = false,
  }: {
    method: string;
    headers: Record<string, string>;
    body?: AsyncIterable<Buffer> | Buffer;
    /** A new connection: a long transfer must not reuse a socket the server is closing as idle. */
    fresh?: boolean;
  },
) =>
  new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const agent = fresh ? false : keepAlive;
    const request = http.request(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    if (!body) {
      request.end();
    } else if (Buffer.isBuffer(body)) {
      request.end(body);
    } else {
      void (async () => {
        for await (const chunk of body) {
          if (!request.write(chunk)) await new Promise((resolve) => request.once('drain', resolve));
        }
        request.end();
      })().catch(reject);
    }
  });

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Streams a response into nothing, counting bytes. */
export const drainRequest = (url: string, headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on('end', () => resolve(bytes));
        response.on('error', reject);
      })
      .on('error', reject);
  });

export const multipartParts = (filename: string) => {
  const boundary = `----myfilebench${Date.now().toString(36)}`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
};
