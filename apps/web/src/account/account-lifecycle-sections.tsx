import { useState, type SyntheticEvent } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../api/api-error.js';
import { api, ensureSession } from '../api/http.js';
import { useSessionActions } from '../session/session-context.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { useToasts } from '../ui/toasts.js';
import { useReauth } from './reauth-prompt.js';
import { useTranslation } from '../i18n/i18n.js';

/** The address changes once the link mailed to the new one is opened; the old one is told. */
const ChangeEmailSection = () => {
  const { t } = useTranslation();
  const toasts = useToasts();
  const { withReauth, prompt } = useReauth();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await withReauth(async () => {
        await api('/api/account/email', { method: 'POST', body: { newEmail: email.trim() } });
        toasts.show(t('account.emailLinkSent', { email: email.trim() }), 'success');
        setEmail('');
      });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  return (
    <section aria-labelledby="change-email-title" className="panel">
      <h2 id="change-email-title">{t('account.emailTitle')}</h2>
      <form aria-label={t('account.changeEmail')} onSubmit={(event) => void submit(event)}>
        <FormField
          label={t('account.newEmail')}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <FormAlert message={error} />
        <button type="submit" className="button">
          {t('account.sendConfirmation')}
        </button>
      </form>
      {prompt}
    </section>
  );
};

/** Every file I have, as one zip the browser saves. */
const ExportSection = () => {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="export-title" className="panel">
      <h2 id="export-title">{t('account.exportTitle')}</h2>
      <p>{t('account.exportIntro')}</p>
      <button
        type="button"
        className="button"
        onClick={() =>
          void ensureSession().then(() => {
            window.location.assign('/api/account/export');
          })
        }
      >
        {t('account.exportButton')}
      </button>
    </section>
  );
};

/** Confirmed twice (a dialog, then recent authentication); cannot be undone. */
const DeleteAccountSection = () => {
  const { t } = useTranslation();
  const { signOut } = useSessionActions();
  const navigate = useNavigate();
  const toasts = useToasts();
  const { withReauth, prompt } = useReauth();
  const [asking, setAsking] = useState(false);
  const remove = () =>
    withReauth(async () => {
      await api('/api/account/delete', { method: 'POST', body: {} });
      toasts.show(t('account.deleted'), 'success');
      await signOut().catch(() => undefined);
      await navigate('/sign-in');
    });
  return (
    <section aria-labelledby="delete-account-title" className="panel">
      <h2 id="delete-account-title">{t('account.deleteTitle')}</h2>
      <p>{t('account.deleteIntro')}</p>
      <button type="button" className="button danger" onClick={() => setAsking(true)}>
        {t('account.deleteButton')}
      </button>
      {asking && (
        <ConfirmDialog
          title={t('account.deleteConfirmTitle')}
          confirmLabel={t('account.deleteConfirm')}
          danger
          onConfirm={remove}
          onClose={() => setAsking(false)}
        >
          <p>{t('account.deleteConfirmBody')}</p>
        </ConfirmDialog>
      )}
      {prompt}
    </section>
  );
};

/** The account's own lifecycle: its address, a copy of everything, its end. */
export const AccountLifecycleSections = () => (
  <>
    <ChangeEmailSection />
    <ExportSection />
    <DeleteAccountSection />
  </>
);
