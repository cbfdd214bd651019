import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signUpAndSignIn } from '../modules/auth/auth.test-utils.js';
import { getFreePort } from '../test-support/s3-server.js';
import { createTestApp } from '../test-support/test-app.js';
import { usesRealServices } from '../test-support/test-services.js';
import { createKeyRingDocument, toKeyRing } from './key-ring.models.js';
import { loadKeyRingDocument, rotateKeyRing } from './key-ring.source.js';

const findMotoServer = () => {
  const versions = path.join(os.homedir(), '.pyenv', 'versions');
  if (!existsSync(versions)) return undefined;
  return readdirSync(versions)
    .map((version) => path.join(versions, version, 'bin', 'moto_server'))
    .find((candidate) => existsSync(candidate));
};

/** Just GetSecretValue / PutSecretValue / CreateSecret of the JSON 1.1 protocol, in memory. */
const startFakeSecretsManager = async () => {
  const secrets = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '').split('.')[1];
      const input = JSON.parse(body || '{}') as {
        SecretId?: string;
        Name?: string;
        SecretString?: string;
      };
      const id = input.SecretId ?? input.Name ?? '';
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target === 'CreateSecret' || target === 'PutSecretValue') {
        secrets.set(id, input.SecretString ?? '');
        response.end(
          JSON.stringify({
            ARN: `arn:aws:secretsmanager:us-east-1:0:secret:${id}`,
            Name: id,
            VersionId: String(Date.now()),
          }),
        );
      } else if (target === 'GetSecretValue' && secrets.has(id)) {
        response.end(JSON.stringify({ Name: id, SecretString: secrets.get(id) }));
      } else {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'not found' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const startMoto = async (binary: string) => {
  // A port the OS gave out, not a random one: a taken port made moto exit at once, unseen.
  const port = await getFreePort();
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}).`);
    const ready = await fetch(`${endpoint}/moto-api/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (attempt >= 200) {
      child.kill('SIGTERM');
      throw new Error(`moto_server did not answer at ${endpoint} within 20 s.`);
    }
    await sleep(100);
  }
  return { endpoint, close: async () => void child.kill('SIGTERM') };
};

const standIns = (): {
  name: string;
  start: () => Promise<{ endpoint: string; close(): Promise<void> }>;
}[] => {
  const moto = findMotoServer();
  if (!moto && usesRealServices())
    throw new Error('TEST_SERVICES=1 needs moto_server for Secrets Manager.');
  return [
    ...(moto ? [{ name: 'moto_server', start: () => startMoto(moto) }] : []),
    // The fallback is exercised too, so it cannot rot while moto is around.
    ...(usesRealServices() ? [] : [{ name: 'local fake', start: startFakeSecretsManager }]),
  ];
};

describe.each(standIns())(
  'key ring in AWS Secrets Manager (SECRETS_ID) on $name',
  ({ name, start }) => {
    let stand: { endpoint: string; close(): Promise<void> };
    let client: SecretsManagerClient;
    const savedEnv = { ...process.env };
    beforeAll(async () => {
      stand = await start();
      console.info(`Secrets Manager stand-in: ${name} at ${stand.endpoint}`);
      client = new SecretsManagerClient({
        endpoint: stand.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
    }, 30_000);
    afterAll(async () => {
      process.env = savedEnv;
      client.destroy();
      await stand.close();
    });

    test('the ring is read from the secret and rotation writes a new signing key to it', async () => {
      const secretId = `myfile/keys-${Date.now()}`;
      const document = createKeyRingDocument(new Date());
      await client.send(
        new CreateSecretCommand({ Name: secretId, SecretString: JSON.stringify(document) }),
      );
      const config = { SECRETS_ID: secretId, DATA_DIR: '/nonexistent' };

      const loaded = await loadKeyRingDocument(config, client);
      expect(loaded).toEqual(document);
      const rotated = await rotateKeyRing(config, client);
      expect(rotated.keys).toHaveLength(2);
      const reread = toKeyRing(
        await loadKeyRingDocument(config, client),
        new Date(Date.now() + 1000),
      );
      expect(reread.current.kid).toBe(rotated.keys[0]?.kid);
      expect(reread.byKid(document.keys[0]?.kid ?? '')).toBeDefined();
    });

    test("the server signs with the secret's key and picks up a rotation while running", async () => {
      const secretId = `myfile/app-keys-${Date.now()}`;
      const document = createKeyRingDocument(new Date());
      await client.send(
        new CreateSecretCommand({ Name: secretId, SecretString: JSON.stringify(document) }),
      );
      // The SDK's default client (as in production) finds the stand-in through the standard env.
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_SECRETS_MANAGER: stand.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
      });
      const testApp = await createTestApp({ env: { SECRETS_ID: secretId } });
      try {
        expect(testApp.context.keyRing.current.kid).toBe(document.keys[0]?.kid);
        const user = await signUpAndSignIn(testApp.app);
        const rotated = await rotateKeyRing(
          { SECRETS_ID: secretId, DATA_DIR: testApp.dataDir },
          client,
        );
        await testApp.context.keys.reload();
        expect(testApp.context.keyRing.current.kid).toBe(rotated.keys[0]?.kid);
        const me = await testApp.app.inject({
          method: 'GET',
          url: '/api/auth/me',
          headers: user.headers,
        });
        expect(me.statusCode).toBe(200);
      } finally {
        await testApp.close();
      }
    });
  },
);
