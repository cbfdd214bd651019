import type { CreateLinkBody, NodeDto, ShareLinkDto } from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SyntheticEvent } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatDate } from '../api/format.js';
import { useApiForm } from '../auth/use-api-form.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { useToasts } from '../ui/toasts.js';
import { createLink, fetchLinks, linksQueryKey, revokeLink } from './links-api.js';

const linkSummary = (link: ShareLinkDto) =>
  [
    link.role === 'uploader' ? 'Drop box' : 'View and download',
    link.hasPassword ? 'password' : null,
    link.expiresAt ? `expires ${formatDate(link.expiresAt)}` : null,
    `opened ${link.accessCount.toLocaleString('en')} time${link.accessCount === 1 ? '' : 's'}`,
    `${link.downloadCount.toLocaleString('en')}${link.downloadLimit ? ` of ${link.downloadLimit}` : ''} downloads`,
    link.lastAccessedAt ? `last ${formatDate(link.lastAccessedAt)}` : null,
  ]
    .filter(Boolean)
    .join(' · ');

/**
 * Copies with the Clipboard API where the browser offers it (https or localhost); on plain http
 * at a LAN name it does not, so the selected text is copied the old way.
 */
const copyText = async (input: HTMLInputElement) => {
  input.select();
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(input.value);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only way without a secure context
  if (!document.execCommand('copy')) throw new Error('copy refused');
};

const NewLinkUrl = ({ url }: { url: string }) => {
  const input = useRef<HTMLInputElement>(null);
  const toasts = useToasts();
  return (
    <div className="link-created">
      <label htmlFor="new-link-url">New link (copy it now: it is shown only this once)</label>
      <div className="link-copy">
        <input id="new-link-url" ref={input} readOnly value={url} />
        <button
          type="button"
          className="button primary"
          onClick={() => {
            if (!input.current) return;
            copyText(input.current).then(
              () => toasts.show('Link copied.', 'success'),
              () => toasts.show('Press Ctrl+C (⌘C) to copy the selected link.', 'info'),
            );
          }}
        >
          Copy link
        </button>
      </div>
    </div>
  );
};

/** The owner's links on an item: make one (viewer or drop box), copy it, see counters, revoke. */
export const LinksSection = ({ node }: { node: Pick<NodeDto, 'id' | 'kind'> }) => {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const links = useQuery({ queryKey: linksQueryKey(node.id), queryFn: () => fetchLinks(node.id) });
  const [role, setRole] = useState<'viewer' | 'uploader'>('viewer');
  const [password, setPassword] = useState('');
  const [expires, setExpires] = useState('');
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const { errors, pending, run, check } = useApiForm();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: linksQueryKey(node.id) });
    void queryClient.invalidateQueries({ queryKey: ['children'] });
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (
      !check({
        password:
          password && password.length < 8 ? 'Use at least 8 characters, or none.' : undefined,
      })
    )
      return;
    void run(async () => {
      const body: CreateLinkBody = { role };
      if (label.trim()) body.label = label.trim();
      if (password) body.password = password;
      // The end of the chosen day, where the owner is.
      if (expires) body.expiresAt = new Date(`${expires}T23:59:59`).toISOString();
      const link = await createLink(node.id, body);
      setCreated(link.url);
      setPassword('');
      refresh();
    });
  };

  const live = (links.data?.items ?? []).filter((link) => !link.revokedAt);
  return (
    <section aria-labelledby="links-heading">
      <h3 id="links-heading" className="share-heading">
        Links
      </h3>
      <form onSubmit={submit} className="share-form" noValidate>
        <FormAlert message={errors.form} />
        <div className="field">
          <label htmlFor="link-role">Anyone with the link can</label>
          <select
            id="link-role"
            value={role}
            onChange={(event) => setRole(event.target.value === 'uploader' ? 'uploader' : 'viewer')}
          >
            <option value="viewer">View and download</option>
            {node.kind === 'folder' && (
              <option value="uploader">Upload only (a drop box: cannot see what is inside)</option>
            )}
          </select>
        </div>
        <FormField
          label="Password (optional)"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={errors.fields.password}
        />
        <FormField
          label="Expires on (optional)"
          name="expiresAt"
          type="date"
          value={expires}
          onChange={(event) => setExpires(event.target.value)}
          error={errors.fields.expiresAt}
        />
        <FormField
          label="Label (optional)"
          name="label"
          value={label}
          onChange={(event) => setLabel(event.target.value)}
          error={errors.fields.label}
        />
        <div className="dialog-actions">
          <button type="submit" className="button" disabled={pending}>
            Create link
          </button>
        </div>
      </form>
      {created && <NewLinkUrl url={created} />}
      {links.isError && (
        <p role="alert" className="form-alert">
          {errorMessage(links.error)}
        </p>
      )}
      {live.length > 0 && (
        <ul className="share-list" aria-label="Links">
          {live.map((link) => (
            <li key={link.id} className="share-row">
              <span className="item-main">
                <span>{link.label || (link.role === 'uploader' ? 'Drop box link' : 'Link')}</span>
                <span className="muted small">{linkSummary(link)}</span>
              </span>
              <button
                type="button"
                className="button danger"
                aria-label={`Revoke ${link.label || 'link'} created ${formatDate(link.createdAt)}`}
                onClick={() =>
                  void revokeLink(link.id).then(
                    () => {
                      toasts.show('Link revoked: it no longer opens anything.', 'success');
                      refresh();
                    },
                    (error: unknown) => toasts.showError(error),
                  )
                }
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
