import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/http.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useToasts } from '../ui/toasts.js';
import { useTranslation } from '../i18n/i18n.js';

type Revoked = { revoked: number; revokedTokens: number };

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
  const { t } = useTranslation();
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
          ? t('account.everywhereDoneTokens', { count: result.revokedTokens })
          : t('account.everywhereDone'),
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
      title={t('account.everywhereTitle')}
      confirmLabel={t('account.everywhereConfirm')}
      danger
      onConfirm={signOut}
      onClose={onClose}
    >
      <p>{t('account.everywhereBody', { count: otherDevices })}</p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={includeTokens}
          onChange={(event) => setIncludeTokens(event.target.checked)}
        />{' '}
        {t('account.everywhereTokens')}
      </label>
    </ConfirmDialog>
  );
};
