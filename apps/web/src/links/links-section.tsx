import type { CreateLinkBody, NodeDto, ShareLinkDto } from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SyntheticEvent } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatDate } from '../api/format.js';
import { useReauth } from '../account/reauth-prompt.js';
import { useApiForm } from '../auth/use-api-form.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { useToasts } from '../ui/toasts.js';
import { t, useTranslation } from '../i18n/i18n.js';
import { createLink, fetchLinks, fetchLinkUrl, linksQueryKey, revokeLink } from './links-api.js';

const linkSummary = (link: ShareLinkDto) =>
  [
    link.role === 'uploader' ? t('links.dropBox') : t('links.viewAndDownload'),
    link.hasPassword ? t('links.hasPassword') : null,
    link.expiresAt ? t('links.expires', { date: formatDate(link.expiresAt) }) : null,
    t('links.opened', { count: link.accessCount }),
    link.downloadLimit
      ? t('links.downloadsOfLimit', { downloads: link.downloadCount, count: link.downloadLimit })
      : t('links.downloads', { count: link.downloadCount }),
    link.lastAccessedAt ? t('links.lastOpened', { date: formatDate(link.lastAccessedAt) }) : null,
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

/** A link's address, selected and ready to copy: a new link, or an older one copied again. */
const LinkUrlBox = ({ id, label, url }: { id: string; label: string; url: string }) => {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const toasts = useToasts();
  return (
    <div className="link-created">
      <label htmlFor={id}>{label}</label>
      <div className="link-copy">
        <input
          id={id}
          ref={input}
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button
          type="button"
          className="button primary"
          onClick={() => {
            if (!input.current) return;
            copyText(input.current).then(
              () => toasts.show(t('links.copied'), 'success'),
              () => toasts.show(t('links.copyByHand'), 'info'),
            );
          }}
        >
          {t('links.copyLink')}
        </button>
      </div>
    </div>
  );
};

const linkName = (link: ShareLinkDto) =>
  link.label || (link.role === 'uploader' ? t('links.dropBoxLink') : t('links.link'));

/** The owner's links on an item: make one (viewer or drop box), copy it, see counters, revoke. */
export const LinksSection = ({ node }: { node: Pick<NodeDto, 'id' | 'kind'> }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const links = useQuery({ queryKey: linksQueryKey(node.id), queryFn: () => fetchLinks(node.id) });
  const [role, setRole] = useState<'viewer' | 'uploader'>('viewer');
  const [password, setPassword] = useState('');
  const [expires, setExpires] = useState('');
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  // An existing link's address, fetched when its owner asks to copy it again.
  const [copied, setCopied] = useState<{ id: string; url: string } | null>(null);
  const { errors, pending, run, check } = useApiForm();
  // A link password is a sensitive setting: an older session confirms it is you first.
  const { withReauth, prompt } = useReauth();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: linksQueryKey(node.id) });
    void queryClient.invalidateQueries({ queryKey: ['children'] });
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (
      !check({
        password: password && password.length < 8 ? t('links.passwordTooShort') : undefined,
      })
    )
      return;
    const body: CreateLinkBody = { role };
    if (label.trim()) body.label = label.trim();
    if (password) body.password = password;
    // The end of the chosen day, where the owner is.
    if (expires) body.expiresAt = new Date(`${expires}T23:59:59`).toISOString();
    void run(() =>
      withReauth(async () => {
        const link = await createLink(node.id, body);
        setCreated(link.url);
        setCopied(null);
        setPassword('');
        refresh();
      }),
    );
  };

  const copyAgain = (link: ShareLinkDto) => {
    fetchLinkUrl(link.id).then(
      ({ url }) => {
        setCreated(null);
        setCopied({ id: link.id, url });
        // Without the Clipboard API (plain http at a LAN name) the box below holds it selected.
        if (!navigator.clipboard || !window.isSecureContext) {
          toasts.show(t('links.copyByHand'), 'info');
          return;
        }
        navigator.clipboard.writeText(url).then(
          () => toasts.show(t('links.copied'), 'success'),
          () => toasts.show(t('links.copyByHand'), 'info'),
        );
      },
      (error: unknown) => toasts.showError(error),
    );
  };

  const live = (links.data?.items ?? []).filter((link) => !link.revokedAt);
  const copiedLink = copied && live.find((link) => link.id === copied.id);
  return (
    <section aria-labelledby="links-heading">
      <h3 id="links-heading" className="share-heading">
        {t('links.heading')}
      </h3>
      <form onSubmit={submit} className="share-form" noValidate>
        <FormAlert message={errors.form} />
        <div className="field">
          <label htmlFor="link-role">{t('links.anyoneCan')}</label>
          <select
            id="link-role"
            value={role}
            onChange={(event) => setRole(event.target.value === 'uploader' ? 'uploader' : 'viewer')}
          >
            <option value="viewer">{t('links.viewAndDownload')}</option>
            {node.kind === 'folder' && <option value="uploader">{t('links.uploadOnly')}</option>}
          </select>
        </div>
        <FormField
          label={t('links.passwordOptional')}
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={errors.fields.password}
        />
        <FormField
          label={t('links.expiresOptional')}
          name="expiresAt"
          type="date"
          value={expires}
          onChange={(event) => setExpires(event.target.value)}
          error={errors.fields.expiresAt}
        />
        <FormField
          label={t('links.labelOptional')}
          name="label"
          value={label}
          onChange={(event) => setLabel(event.target.value)}
          error={errors.fields.label}
        />
        <div className="dialog-actions">
          <button type="submit" className="button" disabled={pending}>
            {t('links.create')}
          </button>
        </div>
      </form>
      {prompt}
      {created && <LinkUrlBox id="new-link-url" label={t('links.newLink')} url={created} />}
      {copied && copiedLink && (
        <LinkUrlBox id="copied-link-url" label={linkName(copiedLink)} url={copied.url} />
      )}
      {links.isError && (
        <p role="alert" className="form-alert">
          {errorMessage(links.error)}
        </p>
      )}
      {live.length > 0 && (
        <ul className="share-list" aria-label={t('links.heading')}>
          {live.map((link) => (
            <li key={link.id} className="share-row">
              <span className="item-main">
                <span>{linkName(link)}</span>
                <span className="muted small">{linkSummary(link)}</span>
                {!link.copyable && <span className="muted small">{t('links.notCopyable')}</span>}
              </span>
              {link.copyable && (
                <button
                  type="button"
                  className="button"
                  aria-label={t('links.copyNamed', {
                    name: linkName(link),
                    date: formatDate(link.createdAt),
                  })}
                  onClick={() => copyAgain(link)}
                >
                  {t('links.copyLink')}
                </button>
              )}
              <button
                type="button"
                className="button danger"
                aria-label={t('links.revokeNamed', {
                  name: link.label || t('links.link'),
                  date: formatDate(link.createdAt),
                })}
                onClick={() =>
                  void revokeLink(link.id).then(
                    () => {
                      toasts.show(t('links.revoked'), 'success');
                      refresh();
                    },
                    (error: unknown) => toasts.showError(error),
                  )
                }
              >
                {t('links.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
