import type { LinkedProvider, ProviderRedirect } from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatDate } from '../api/format.js';
import { api } from '../api/http.js';
import { useSignInMethods } from '../auth/sign-in-methods.js';
import { useApiForm } from '../auth/use-api-form.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { FormAlert } from '../ui/form-field.js';
import { useReauth } from './reauth-prompt.js';
import { useTranslation } from '../i18n/i18n.js';

/** Provider accounts linked to this one: link another, unlink one (never the last way in). */
export const SignInProvidersSection = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { providers } = useSignInMethods();
  const linked = useQuery({
    queryKey: ['linked-providers'],
    queryFn: () => api<{ identities: LinkedProvider[] }>('/api/auth/oidc/identities'),
  });
  const [unlinking, setUnlinking] = useState<LinkedProvider | null>(null);
  const { errors, pending, run } = useApiForm();
  const { withReauth, prompt } = useReauth();
  const identities = linked.data?.identities ?? [];
  if (providers.length === 0 && identities.length === 0) return null;

  const link = (providerId: string) =>
    void run(async () => {
      const { url } = await api<ProviderRedirect>(`/api/auth/oidc/${providerId}/link`, {
        method: 'POST',
      });
      // The provider's sign-in is its own site; it sends the browser back to this page.
      window.location.assign(url);
    });

  return (
    <section aria-labelledby="providers-title" className="panel">
      <h2 id="providers-title">{t('account.providersTitle')}</h2>
      {linked.isError && <p role="alert">{errorMessage(linked.error)}</p>}
      <ul className="item-list" aria-label={t('account.linkedProviders')}>
        {identities.map((identity) => (
          <li key={identity.id} className="item-row">
            <div className="item-main">
              <span>{identity.label}</span>
              <span className="muted small">
                {identity.email ?? t('account.noEmailGiven')} ·{' '}
                {t('account.providerLinked', { date: formatDate(identity.createdAt) })} ·{' '}
                {t('account.providerLastUsed', { date: formatDate(identity.lastUsedAt) })}
              </span>
            </div>
            <button
              type="button"
              className="button danger"
              aria-label={t('account.unlinkNamed', { provider: identity.label })}
              onClick={() => setUnlinking(identity)}
            >
              {t('account.unlink')}
            </button>
          </li>
        ))}
      </ul>
      <FormAlert message={errors.form} />
      {providers
        .filter((provider) => !identities.some((identity) => identity.provider === provider.id))
        .map((provider) => (
          <button
            key={provider.id}
            type="button"
            className="button"
            disabled={pending}
            onClick={() => link(provider.id)}
          >
            {t('account.linkProvider', { provider: provider.label })}
          </button>
        ))}
      {prompt}
      {unlinking && (
        <ConfirmDialog
          title={t('account.unlinkTitle', { provider: unlinking.label })}
          confirmLabel={t('account.unlink')}
          danger
          onConfirm={() =>
            withReauth(async () => {
              await api(`/api/auth/oidc/identities/${unlinking.id}/unlink`, {
                method: 'POST',
                body: {},
              });
              void queryClient.invalidateQueries({ queryKey: ['linked-providers'] });
              void queryClient.invalidateQueries({ queryKey: ['security-events'] });
            })
          }
          onClose={() => setUnlinking(null)}
        >
          <p>{t('account.unlinkBody', { provider: unlinking.label })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
};
