import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { setCsrfToken } from '../api/http.js';
import { json, stubFetch } from '../test-support/fetch-stub.js';
import { ToastProvider } from '../ui/toasts.js';
import { SignOutEverywhereDialog } from './sign-out-everywhere-dialog.js';

beforeEach(() => setCsrfToken('csrf-1'));
afterEach(() => vi.unstubAllGlobals());

const renderDialog = () => {
  const onClose = vi.fn();
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ToastProvider>
        <SignOutEverywhereDialog otherDevices={2} onClose={onClose} />
      </ToastProvider>
    </QueryClientProvider>,
  );
  return { user: userEvent.setup(), onClose };
};

const tokensOption = () =>
  screen.getByRole('checkbox', {
    name: /Also revoke personal access tokens and app passwords \(WebDAV clients will need a new one\)/,
  });

test('signing out everywhere else leaves tokens alone unless asked', async () => {
  const requests = stubFetch(() => json(200, { revoked: 2, revokedTokens: 0 }));
  const { user, onClose } = renderDialog();
  const dialog = screen.getByRole('dialog', { name: 'Sign out everywhere else?' });
  expect(dialog.textContent).toMatch(/Every other device \(2\)/);
  expect(tokensOption()).toHaveProperty('checked', false);

  await user.click(screen.getByRole('button', { name: 'Sign out other devices' }));
  await waitFor(() => expect(onClose).toHaveBeenCalled());
  expect(requests).toEqual([{ url: '/api/auth/sessions', method: 'DELETE', body: undefined }]);
  expect(screen.getByRole('status').textContent).toContain('Every other device is signed out.');
});

test('the tokens option revokes every personal access token and app password too', async () => {
  const requests = stubFetch(() => json(200, { revoked: 2, revokedTokens: 3 }));
  const { user, onClose } = renderDialog();
  await user.click(tokensOption());
  await user.click(screen.getByRole('button', { name: 'Sign out other devices' }));
  await waitFor(() => expect(onClose).toHaveBeenCalled());
  expect(requests).toEqual([
    { url: '/api/auth/sessions?tokens=true', method: 'DELETE', body: undefined },
  ]);
  expect(screen.getByRole('status').textContent).toContain(
    'Every other device is signed out and 3 tokens revoked.',
  );
});
