import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, expect, test, vi } from 'vitest';
import { setCsrfToken } from '../api/http.js';
import { SessionProvider } from '../session/session-context.js';
import { json } from '../test-support/fetch-stub.js';
import { SignInPage } from './sign-in-page.js';

const renderSignIn = (login: () => Response, secondFactor?: (body: unknown) => Response) => {
  const requests: { url: string; init: RequestInit | undefined }[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    requests.push({ url, init });
    if (url === '/api/auth/me')
      return json(401, { error: { code: 'unauthenticated', message: 'Sign in.' } });
    if (url === '/api/auth/refresh')
      return json(401, { error: { code: 'unauthenticated', message: 'No.' } });
    if (url === '/api/auth/csrf') return json(200, { csrfToken: 'csrf-1' });
    if (url === '/api/auth/login') return login();
    if (url === '/api/auth/login/second-factor' && secondFactor)
      return secondFactor(JSON.parse(typeof init?.body === 'string' ? init.body : 'null'));
    return json(404, { error: { code: 'not_found', message: 'Nothing here.' } });
  });
  const router = createMemoryRouter(
    [
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/', element: <h1>Home</h1> },
    ],
    { initialEntries: ['/sign-in'] },
  );
  render(
    <QueryClientProvider
      client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>,
  );
  return requests;
};

const fillAndSubmit = async () => {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Email'), 'ada@example.com');
  await user.type(screen.getByLabelText('Password'), 'secret password');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
};

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(undefined);
});

test('a wrong password is one sentence for the form, and the CSRF token was sent', async () => {
  const requests = renderSignIn(() =>
    json(401, {
      error: { code: 'invalid_credentials', message: 'The email or password is wrong' },
    }),
  );
  await fillAndSubmit();
  expect(await screen.findByRole('alert')).toHaveProperty(
    'textContent',
    'The email or password is wrong.',
  );
  const login = requests.find((request) => request.url === '/api/auth/login');
  expect(new Headers(login?.init?.headers).get('x-csrf-token')).toBe('csrf-1');
});

test('a field error is shown beside its field', async () => {
  renderSignIn(() =>
    json(400, {
      error: { code: 'invalid_request', message: 'Enter a valid email address.', field: 'email' },
    }),
  );
  await fillAndSubmit();
  const email = screen.getByLabelText('Email');
  expect(await screen.findByText('Enter a valid email address.')).toBeTruthy();
  expect(email.getAttribute('aria-invalid')).toBe('true');
});

test('a rate limit tells how long to wait', async () => {
  renderSignIn(() =>
    json(
      429,
      { error: { code: 'rate_limited', message: 'Too many requests.' } },
      { 'retry-after': '42' },
    ),
  );
  await fillAndSubmit();
  expect((await screen.findByRole('alert')).textContent).toBe(
    'Too many attempts. Please wait 42 seconds and try again.',
  );
});

test('success signs in and leaves the page', async () => {
  renderSignIn(() =>
    json(200, {
      status: 'signed_in',
      user: { id: 'u1', email: 'ada@example.com' },
      csrfToken: 'csrf-2',
    }),
  );
  await fillAndSubmit();
  expect(await screen.findByRole('heading', { name: 'Home' })).toBeTruthy();
});

test("a validator's own wording is replaced with words for the field", async () => {
  renderSignIn(() =>
    json(400, {
      error: {
        code: 'invalid_request',
        message: 'Invalid body field "email": Too small: expected string to have >=3 characters',
        field: 'email',
      },
    }),
  );
  await fillAndSubmit();
  expect(await screen.findByText('Enter an email address like name@example.com.')).toBeTruthy();
  expect(screen.queryByText(/Too small/)).toBeNull();
});

const challenge = () =>
  json(200, {
    status: 'second_factor_required',
    methods: ['totp', 'recovery_code', 'passkey'],
    pendingToken: 'pending-token-1',
  });

test('a second factor is asked for, not taken for a finished sign-in', async () => {
  const sent: unknown[] = [];
  renderSignIn(challenge, (body) => {
    sent.push(body);
    return sent.length === 1
      ? json(401, {
          error: {
            code: 'invalid_credentials',
            message: 'That code is wrong, expired or already used.',
            field: 'code',
          },
        })
      : json(200, {
          status: 'signed_in',
          user: { id: 'u1', email: 'ada@example.com' },
          csrfToken: 'csrf-2',
        });
  });
  await fillAndSubmit();
  const user = userEvent.setup();
  const code = await screen.findByLabelText('Authentication code');
  expect(screen.queryByRole('heading', { name: 'Home' })).toBeNull();
  await user.type(code, '123456');
  await user.click(screen.getByRole('button', { name: 'Verify' }));
  expect(await screen.findByText('That code is wrong, expired or already used.')).toBeTruthy();
  await user.click(screen.getByRole('button', { name: 'Use a recovery code' }));
  await user.type(screen.getByLabelText('Recovery code'), ' ABCD-EFGH ');
  await user.click(screen.getByRole('button', { name: 'Verify' }));
  expect(await screen.findByRole('heading', { name: 'Home' })).toBeTruthy();
  expect(sent).toEqual([
    { pendingToken: 'pending-token-1', code: '123456' },
    { pendingToken: 'pending-token-1', code: 'ABCD-EFGH' },
  ]);
});

test('an expired pending sign-in leads back to the password, without a session refresh', async () => {
  const requests = renderSignIn(challenge, () =>
    json(401, {
      error: {
        code: 'unauthenticated',
        message: 'This sign-in took too long or was already finished; enter your password again.',
      },
    }),
  );
  await fillAndSubmit();
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Authentication code'), '123456');
  const before = requests.length;
  await user.click(screen.getByRole('button', { name: 'Verify' }));
  expect((await screen.findByRole('alert')).textContent).toMatch(/took too long/);
  // A refresh could resend the code and count a second failed attempt.
  expect(requests.slice(before).map((request) => request.url)).toEqual([
    '/api/auth/login/second-factor',
  ]);
  await user.click(screen.getByRole('button', { name: 'Enter your password again' }));
  expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
});
