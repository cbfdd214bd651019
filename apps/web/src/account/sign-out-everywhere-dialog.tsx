import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/http.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useToasts } from '../ui/toasts.js';

type Revoked = { revoked: number; revokedTokens: number };

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * Signing out elsewhere leaves scripts' credentials alone unless asked: a stolen cookie may
 * already have minted a token, so the dialog offers to revoke every token as well.
 */
export const SignOutEverywhereDialog = ({
  otherDevices,
  onClose,
}: {
  otherDevices: number;
  onClose(): void;
}) => {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [includeTokens, setIncludeTokens] = useState(false);
  const signOut = async () => {
    try {
      const result = await api<Revoked>(
        includeTokens ? '/api/auth/sessions?tokens=true' : '/api/auth/sessions',
        { method: 'DELETE' },
      );
      toasts.show(
        includeTokens
          ? `Every other device is signed out and ${plural(result.revokedTokens, 'token', 'tokens')} revoked.`
          : 'Every other device is signed out.',
        'success',
      );
    } finally {
      for (const key of ['sessions', 'tokens', 'security-events']) {
        void queryClient.invalidateQueries({ queryKey: [key] });
      }
    }
  };
  return (
    <ConfirmDialog
      title="Sign out everywhere else?"
      confirmLabel="Sign out other devices"
      danger
      onConfirm={signOut}
      onClose={onClose}
    >
      <p>
        Every other device ({otherDevices}) will have to sign in again. This device stays signed in.
      </p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={includeTokens}
          onChange={(event) => setIncludeTokens(event.target.checked)}
        />{' '}
        Also revoke personal access tokens and app passwords (WebDAV clients will need a new one)
      </label>
    </ConfirmDialog>
  );
};
