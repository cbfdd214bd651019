import { useState, type SyntheticEvent } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../api/api-error.js';
import { api, ensureSession } from '../api/http.js';
import { useSessionActions } from '../session/session-context.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { useToasts } from '../ui/toasts.js';
import { useReauth } from './reauth-prompt.js';

/** The address changes once the link mailed to the new one is opened; the old one is told. */
const ChangeEmailSection = () => {
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
        toasts.show(
          `We sent a link to ${email.trim()}. Your address changes when you open it.`,
          'success',
        );
        setEmail('');
      });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  return (
    <section aria-labelledby="change-email-title" className="panel">
      <h2 id="change-email-title">Email address</h2>
      <form aria-label="Change email address" onSubmit={(event) => void submit(event)}>
        <FormField
          label="New email address"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <FormAlert message={error} />
        <button type="submit" className="button">
          Send confirmation link
        </button>
      </form>
      {prompt}
    </section>
  );
};

/** Every file I have, as one zip the browser saves. */
const ExportSection = () => (
  <section aria-labelledby="export-title" className="panel">
    <h2 id="export-title">Export</h2>
    <p>Download all your files and folders as one zip.</p>
    <button
      type="button"
      className="button"
      onClick={() =>
        void ensureSession().then(() => {
          window.location.assign('/api/account/export');
        })
      }
    >
      Download all my files
    </button>
  </section>
);

/** Confirmed twice (a dialog, then recent authentication); cannot be undone. */
const DeleteAccountSection = () => {
  const { signOut } = useSessionActions();
  const navigate = useNavigate();
  const toasts = useToasts();
  const { withReauth, prompt } = useReauth();
  const [asking, setAsking] = useState(false);
  const remove = () =>
    withReauth(async () => {
      await api('/api/account/delete', { method: 'POST', body: {} });
      toasts.show('Your account was deleted.', 'success');
      await signOut().catch(() => undefined);
      await navigate('/sign-in');
    });
  return (
    <section aria-labelledby="delete-account-title" className="panel">
      <h2 id="delete-account-title">Delete account</h2>
      <p>
        Deletes your account, all your files and their earlier versions, and ends every session.
        Your address can be used for a new account at once. This cannot be undone.
      </p>
      <button type="button" className="button danger" onClick={() => setAsking(true)}>
        Delete my account
      </button>
      {asking && (
        <ConfirmDialog
          title="Delete your account?"
          confirmLabel="Delete account and files"
          danger
          onConfirm={remove}
          onClose={() => setAsking(false)}
        >
          <p>All your files and folders are deleted for good.</p>
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
