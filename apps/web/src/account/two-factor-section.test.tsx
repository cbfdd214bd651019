import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { setCsrfToken } from '../api/http.js';
import { json, stubFetch } from '../test-support/fetch-stub.js';
import { TwoFactorSection } from './two-factor-section.js';

beforeEach(() => setCsrfToken('csrf-1'));
afterEach(() => vi.unstubAllGlobals());

const renderSection = () => {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <TwoFactorSection />
    </QueryClientProvider>,
  );
  return userEvent.setup();
};

test('a stale sign-in is asked for the password, proved with reauth, and the set-up retried', async () => {
  let proved = false;
  const requests = stubFetch(({ url, method }) => {
    if (url === '/api/auth/2fa')
      return json(200, { enabled: false, enabledAt: null, recoveryCodesLeft: 0 });
    // The methods this account can confirm with: only its password.
    if (url === '/api/auth/reauth' && method === 'GET') return json(200, { methods: ['password'] });
    if (url === '/api/auth/reauth') {
      proved = true;
      return json(200, { status: 'ok' });
    }
    if (url === '/api/auth/2fa/totp/enrol')
      return proved
        ? json(200, {
            secret: 'JBSWY3DPEHPK3PXP',
            uri: 'otpauth://totp/x',
            qrCode: 'data:image/svg+xml;base64,PHN2Zy8+',
          })
        : json(403, {
            error: { code: 'reauth_required', message: 'Confirm it is you first.' },
          });
    return json(404, { error: { code: 'not_found', message: 'Nothing here.' } });
  });
  const user = renderSection();
  await user.click(await screen.findByRole('button', { name: 'Set up an authenticator app' }));
  await user.type(await screen.findByLabelText('Password'), 'correct horse');
  await user.click(screen.getByRole('button', { name: 'Confirm' }));
  expect(await screen.findByTestId('totp-secret')).toHaveProperty(
    'textContent',
    'JBSWY3DPEHPK3PXP',
  );
  expect(requests.filter((request) => request.method === 'POST')).toEqual([
    { url: '/api/auth/2fa/totp/enrol', method: 'POST', body: {} },
    {
      url: '/api/auth/reauth',
      method: 'POST',
      body: { method: 'password', password: 'correct horse' },
    },
    { url: '/api/auth/2fa/totp/enrol', method: 'POST', body: {} },
  ]);
});

test('new recovery codes are shown once, after a stale sign-in confirms with a code', async () => {
  let proved = false;
  const requests = stubFetch(({ url, method }) => {
    if (url === '/api/auth/2fa')
      return json(200, { enabled: true, enabledAt: null, recoveryCodesLeft: 2 });
    if (url === '/api/auth/reauth' && method === 'GET')
      return json(200, { methods: ['password', 'code'] });
    if (url === '/api/auth/reauth') {
      proved = true;
      return json(200, { status: 'ok' });
    }
    if (url === '/api/auth/2fa/recovery-codes')
      return proved
        ? json(200, { recoveryCodes: ['AAAA-BBBB', 'CCCC-DDDD'] })
        : json(403, { error: { code: 'reauth_required', message: 'Confirm it is you first.' } });
    return json(404, { error: { code: 'not_found', message: 'Nothing here.' } });
  });
  const user = renderSection();
  await user.click(await screen.findByRole('button', { name: 'Make new recovery codes' }));
  await user.type(await screen.findByLabelText('Or a code from your authenticator app'), '123456');
  await user.click(screen.getByRole('button', { name: 'Confirm' }));
  const codes = await screen.findByRole('list', { name: 'Recovery codes' });
  expect(codes.textContent).toBe('AAAA-BBBBCCCC-DDDD');
  expect(requests.filter((request) => request.method === 'POST')).toEqual([
    { url: '/api/auth/2fa/recovery-codes', method: 'POST', body: {} },
    { url: '/api/auth/reauth', method: 'POST', body: { method: 'code', code: '123456' } },
    { url: '/api/auth/2fa/recovery-codes', method: 'POST', body: {} },
  ]);
});

test('an account without a password turns two-factor off with a code, after a stale sign-in confirms', async () => {
  let proved = false;
  const requests = stubFetch(({ url, method }) => {
    if (url === '/api/auth/2fa')
      return json(200, { enabled: true, enabledAt: null, recoveryCodesLeft: 10 });
    // Made by a provider: no password to ask for.
    if (url === '/api/auth/reauth' && method === 'GET') return json(200, { methods: ['code'] });
    if (url === '/api/auth/reauth') {
      proved = true;
      return json(200, { status: 'ok' });
    }
    if (url === '/api/auth/2fa/disable')
      return proved
        ? json(200, { status: 'ok' })
        : json(403, { error: { code: 'reauth_required', message: 'Confirm it is you first.' } });
    return json(404, { error: { code: 'not_found', message: 'Nothing here.' } });
  });
  const user = renderSection();
  const form = await screen.findByRole('form', { name: 'Turn off two-factor' });
  await user.type(await screen.findByLabelText('Code or recovery code'), '654321');
  expect(form.querySelector('input[type="password"]')).toBeNull();
  await user.click(screen.getByRole('button', { name: 'Turn off two-factor' }));
  await user.type(await screen.findByLabelText('Authenticator code'), '123456');
  await user.click(screen.getByRole('button', { name: 'Confirm' }));
  await expect.poll(() => requests.filter((request) => request.method === 'POST').length).toBe(3);
  expect(requests.filter((request) => request.method === 'POST')).toEqual([
    { url: '/api/auth/2fa/disable', method: 'POST', body: { code: '654321' } },
    { url: '/api/auth/reauth', method: 'POST', body: { method: 'code', code: '123456' } },
    { url: '/api/auth/2fa/disable', method: 'POST', body: { code: '654321' } },
  ]);
});
