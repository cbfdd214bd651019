import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { totpCodeAt } from '../../server/src/modules/two-factor/totp.models.js';
import { launchBrowser } from './browser.js';
import { startE2eServer, type E2eServer } from './e2e-server.js';
import { signUp, visible } from './helpers.js';

type Answer = { status: number; body: Record<string, unknown> };

/**
 * JSON API calls and WebAuthn ceremonies run inside the page (as the app does), so the
 * browser's own WebAuthn stack, origin and RP ID checks are exercised. Plain JS strings: the
 * e2e tsconfig has no DOM types.
 */
const inPage = `
  window.__api = async (path, body) => {
    const csrf = await (await fetch('/api/auth/csrf')).json();
    const response = await fetch(path, {
      method: body === undefined ? 'GET' : body === null ? 'DELETE' : 'POST',
      headers: body ? { 'content-type': 'application/json', 'x-csrf-token': csrf.csrfToken } : { 'x-csrf-token': csrf.csrfToken },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };
  window.__create = async (options) => {
    const credential = await navigator.credentials.create({
      publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
    });
    return credential.toJSON();
  };
  window.__get = async (options) => {
    const credential = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
    });
    return credential.toJSON();
  };
`;

const api = (page: Page, path: string, body?: object | null) =>
  page.evaluate<Answer>(
    `(async () => { ${inPage}; return window.__api(${JSON.stringify(path)}, ${body === undefined ? 'undefined' : JSON.stringify(body)}); })()`,
  );

const ceremony = (page: Page, kind: 'create' | 'get', options: unknown) =>
  page.evaluate<Record<string, unknown>>(`window.__${kind}(${JSON.stringify(options)})`);

const addVirtualPasskeyDevice = async (page: Page, transport: 'internal' | 'usb' = 'internal') => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport,
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
};

const registerPasskey = async (page: Page, name: string) => {
  const start = await api(page, '/api/auth/passkeys/register/options', {});
  expect(start.status).toBe(200);
  const response = await ceremony(page, 'create', start.body.options);
  return api(page, '/api/auth/passkeys', {
    challengeToken: start.body.challengeToken,
    response,
    name,
  });
};

const signInWithPasskey = async (page: Page, pendingToken?: string) => {
  const start = await api(
    page,
    '/api/auth/login/passkey/options',
    pendingToken ? { pendingToken } : {},
  );
  expect(start.status).toBe(200);
  const response = await ceremony(page, 'get', start.body.options);
  return api(page, '/api/auth/login/passkey', {
    challengeToken: start.body.challengeToken,
    response,
    ...(pendingToken ? { pendingToken } : {}),
  });
};

const scenario = async (page: Page, baseUrl: string, email: string) => {
  await signUp(page, baseUrl, email);
  await addVirtualPasskeyDevice(page);
  const added = await registerPasskey(page, 'Laptop');
  expect(added.status).toBe(201);
  expect(added.body).toMatchObject({ name: 'Laptop' });
  // The same authenticator again is excluded: the browser refuses to make a duplicate.
  await expect(registerPasskey(page, 'Laptop again')).rejects.toThrow(/already registered/);
  // A second one: a security key (Chromium allows one built-in authenticator per browser).
  await addVirtualPasskeyDevice(page, 'usb');
  const second = await registerPasskey(page, 'Key');
  expect(second.status).toBe(201);
  const listed = await api(page, '/api/auth/passkeys');
  expect((listed.body.passkeys as { name: string }[]).map((passkey) => passkey.name)).toEqual([
    'Laptop',
    'Key',
  ]);

  // The passkey alone, no email typed: the authenticator offers the discoverable credential.
  expect((await api(page, '/api/auth/logout', {})).status).toBe(200);
  expect((await api(page, '/api/auth/me')).status).toBe(401);
  const alone = await signInWithPasskey(page);
  expect(alone.status).toBe(200);
  expect((await api(page, '/api/auth/me')).body).toMatchObject({ email });

  // As the second factor after the password, with TOTP on.
  const enrol = await api(page, '/api/auth/2fa/totp/enrol', {});
  const secret = String(enrol.body.secret);
  const confirmed = await api(page, '/api/auth/2fa/totp/confirm', {
    code: totpCodeAt({ secret, timestamp: Date.now() }),
  });
  expect(confirmed.status).toBe(200);
  await api(page, '/api/auth/logout', {});
  const password = await api(page, '/api/auth/login', {
    email,
    password: 'correct horse battery staple',
  });
  expect(password.body).toMatchObject({
    status: 'second_factor_required',
    methods: ['totp', 'recovery_code', 'passkey'],
  });
  expect((await api(page, '/api/auth/me')).status).toBe(401);
  const pendingToken = String(password.body.pendingToken);
  const finished = await signInWithPasskey(page, pendingToken);
  expect(finished.status).toBe(200);
  // The pending sign-in is spent.
  expect((await signInWithPasskey(page, pendingToken)).status).toBe(401);
  const events = (await api(page, '/api/auth/events')).body.events as {
    type: string;
    details: Record<string, unknown>;
  }[];
  expect(events.find((event) => event.type === 'sign_in')?.details).toMatchObject({
    via: 'password',
    secondFactor: 'passkey',
  });
  expect(events.filter((event) => event.type === 'passkey_added')).toHaveLength(2);

  // Removing both: that authenticator's passkeys sign in no more.
  for (const passkey of (await api(page, '/api/auth/passkeys')).body.passkeys as { id: string }[]) {
    expect((await api(page, `/api/auth/passkeys/${passkey.id}`, null)).status).toBe(200);
  }
  expect((await api(page, '/api/auth/passkeys')).body.passkeys).toEqual([]);
  await api(page, '/api/auth/logout', {});
  expect((await signInWithPasskey(page)).status).toBe(401);
};

describe('passkeys in Chromium with a virtual authenticator', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  const host = 'nas.example.test';
  beforeAll(async () => {
    server = await startE2eServer({ publicHost: host });
    // WebAuthn needs a secure context: this stands for the same name served over https.
    browser = await launchBrowser([
      `--host-resolver-rules=MAP ${host} 127.0.0.1`,
      `--unsafely-treat-insecure-origin-as-secure=${server.baseUrl}`,
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('register two, sign in with one alone, use one as second factor, remove them (RP ID nas.example.test)', async () => {
    if (!server || !browser) throw new Error('not started');
    const page = await (await browser.newContext()).newPage();
    await scenario(page, server.baseUrl, 'passkeys@example.com');
  });

  test('through the pages: add on the account page, sign in with it alone, use it as the second factor, remove it', async () => {
    if (!server || !browser) throw new Error('not started');
    const base = server.baseUrl;
    const page = await (await browser.newContext()).newPage();
    const email = 'passkey-pages@example.com';
    await signUp(page, base, email);
    await addVirtualPasskeyDevice(page);
    await page.goto(`${base}/account`);
    await page.getByLabel('Name for the new passkey (optional)').fill('Work laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const passkeys = page.getByRole('list', { name: 'Passkeys' });
    await expect.poll(() => passkeys.textContent(), { timeout: 15_000 }).toContain('Work laptop');
    await page.getByRole('button', { name: 'Rename Work laptop' }).click();
    await page.getByLabel('Passkey name').fill('Laptop');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => passkeys.textContent(), { timeout: 15_000 }).toContain('Laptop');
    expect(await passkeys.textContent()).not.toContain('Work laptop');

    // Alone: no email typed on the sign-in page.
    await api(page, '/api/auth/logout', {});
    await page.goto(`${base}/sign-in`);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await visible(page, 'h1:text-is("My files")');

    // As the second factor, once two-factor is on.
    const enrol = await api(page, '/api/auth/2fa/totp/enrol', {});
    const secret = String(enrol.body.secret);
    await api(page, '/api/auth/2fa/totp/confirm', {
      code: totpCodeAt({ secret, timestamp: Date.now() }),
    });
    await api(page, '/api/auth/logout', {});
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visible(page, 'h1:text-is("Two-factor authentication")');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await visible(page, 'h1:text-is("My files")');

    await page.goto(`${base}/account`);
    const events = page.getByRole('list', { name: 'Security events' });
    await expect
      .poll(() => events.textContent(), { timeout: 15_000 })
      .toContain('Signed in with password and a passkey');
    expect(await events.textContent()).toContain('Signed in with a passkey');
    expect(await events.textContent()).toContain('Passkey added');
    await page.getByRole('button', { name: 'Remove Laptop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove passkey' }).click();
    await expect.poll(() => passkeys.textContent(), { timeout: 15_000 }).toBe('');
    await api(page, '/api/auth/logout', {});
    expect((await signInWithPasskey(page)).status).toBe(401);
  });

  test('the same at 127.0.0.1 through its own name is refused: RP ID and origin are the configured ones', async () => {
    if (!server || !browser) throw new Error('not started');
    const page = await (await browser.newContext()).newPage();
    await signUp(page, server.baseUrl, 'other-origin@example.com');
    await addVirtualPasskeyDevice(page);
    const start = await api(page, '/api/auth/passkeys/register/options', {});
    // A page at another host cannot use this RP ID: the browser itself refuses the ceremony.
    const other = await (await browser.newContext()).newPage();
    await other.goto(server.baseUrl.replace(host, 'localhost'));
    await addVirtualPasskeyDevice(other);
    const refused = await other
      .evaluate(
        `(async () => { ${inPage}; return window.__create(${JSON.stringify(start.body.options)}); })()`,
      )
      .then(
        () => 'created',
        (error: unknown) => String(error),
      );
    expect(refused).not.toBe('created');
  });
});
