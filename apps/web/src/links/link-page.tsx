import type { LinkVisitDto, NodeDto } from '@myfile/contract';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SyntheticEvent } from 'react';
import { useParams } from 'react-router';
import { ApiError, errorMessage } from '../api/api-error.js';
import { formatBytes, formatDate } from '../api/format.js';
import { useApiForm } from '../auth/use-api-form.js';
import { NodeIcon } from '../files/node-icon.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { useTranslation } from '../i18n/i18n.js';
import {
  fetchLinkChildren,
  fetchLinkVisit,
  linkContentUrl,
  linkZipUrl,
  unlockLink,
  uploadToLink,
} from './links-api.js';
import { useLinkLiveEvents } from './use-link-live-events.js';

const PasswordForm = ({ token, onUnlocked }: { token: string; onUnlocked(csrf: string): void }) => {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const { errors, pending, run } = useApiForm({
    invalid_credentials: { field: 'password', message: t('links.wrongPassword') },
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(async () => onUnlocked((await unlockLink(token, password)).csrfToken));
  };
  return (
    <form onSubmit={submit} className="link-unlock" noValidate>
      <p>{t('links.protected')}</p>
      <FormAlert message={errors.form} />
      <FormField
        label={t('links.password')}
        name="password"
        type="password"
        autoComplete="off"
        autoFocus
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={errors.fields.password}
      />
      <button type="submit" className="button primary" disabled={pending || !password}>
        {t('links.open')}
      </button>
    </form>
  );
};

/** A drop box: files go in, nothing comes out, not even the names of what is there. */
const DropBox = ({
  token,
  folder,
  csrf,
}: {
  token: string;
  folder: NodeDto;
  csrf: string | null;
}) => {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [pending, setPending] = useState(false);
  const send = async (files: File[]) => {
    if (files.length === 0) return;
    setPending(true);
    setStatus({ text: t('links.uploading', { count: files.length }) });
    try {
      const { uploaded } = await uploadToLink(token, folder.id, files, csrf);
      setStatus({ text: t('links.uploaded', { count: uploaded }) });
    } catch (error) {
      setStatus({ text: errorMessage(error), error: true });
    } finally {
      setPending(false);
    }
  };
  return (
    <div>
      <p>{t('links.dropBoxIntro', { name: folder.name })}</p>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label={t('links.filesToUpload')}
        onChange={(event) => {
          void send([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
      <button
        type="button"
        className="button primary"
        disabled={pending}
        onClick={() => input.current?.click()}
      >
        {t('links.chooseFiles')}
      </button>
      {status && (
        <p role={status.error ? 'alert' : 'status'} className={status.error ? 'form-alert' : ''}>
          {status.text}
        </p>
      )}
    </div>
  );
};

const FolderListing = ({ token, root }: { token: string; root: NodeDto }) => {
  const { t } = useTranslation();
  const [trail, setTrail] = useState<NodeDto[]>([root]);
  const current = trail.at(-1) ?? root;
  const children = useInfiniteQuery({
    queryKey: ['link-children', token, current.id],
    queryFn: ({ pageParam }) => fetchLinkChildren(token, current.id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = children.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div>
      {trail.length > 1 && (
        <nav aria-label={t('links.breadcrumb')} className="breadcrumbs">
          <ol>
            {trail.map((crumb, index) => (
              <li key={crumb.id}>
                {index === trail.length - 1 ? (
                  <span aria-current="page">{crumb.name}</span>
                ) : (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => setTrail(trail.slice(0, index + 1))}
                  >
                    {crumb.name}
                  </button>
                )}
              </li>
            ))}
          </ol>
        </nav>
      )}
      <div className="toolbar">
        <a className="button" href={linkZipUrl(token, current.id)}>
          {t('links.downloadZip', { name: current.name })}
        </a>
      </div>
      {children.isError && (
        <p role="alert" className="form-alert">
          {errorMessage(children.error)}
        </p>
      )}
      {children.isSuccess && items.length === 0 && <p>{t('links.emptyFolder')}</p>}
      {items.length > 0 && (
        <ul className="item-list" aria-label={t('links.contentsOf', { name: current.name })}>
          {items.map((item) => (
            <li key={item.id} className="item-row">
              <NodeIcon node={item} />
              <div className="item-main">
                {item.kind === 'folder' ? (
                  <button
                    type="button"
                    className="link-button node-name"
                    onClick={() => setTrail([...trail, item])}
                  >
                    {item.name}
                  </button>
                ) : (
                  <span className="node-name">{item.name}</span>
                )}
                <span className="muted small">
                  {item.kind === 'file' ? `${formatBytes(item.size)} · ` : ''}
                  {formatDate(item.updatedAt)}
                </span>
              </div>
              {item.kind === 'file' && (
                <a
                  className="button"
                  href={linkContentUrl(token, item.id)}
                  aria-label={t('links.downloadName', { name: item.name })}
                >
                  {t('links.download')}
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
      {children.hasNextPage && (
        <button type="button" className="button" onClick={() => void children.fetchNextPage()}>
          {t('common.showMore')}
        </button>
      )}
    </div>
  );
};

const LinkContent = ({
  token,
  visit,
  csrf,
}: {
  token: string;
  visit: LinkVisitDto;
  csrf: string | null;
}) => {
  const { t } = useTranslation();
  const node = visit.node;
  if (!node) return null;
  if (visit.role === 'uploader') return <DropBox token={token} folder={node} csrf={csrf} />;
  if (node.kind === 'folder') return <FolderListing token={token} root={node} />;
  return (
    <div className="item-row">
      <NodeIcon node={node} />
      <div className="item-main">
        <span className="node-name">{node.name}</span>
        <span className="muted small">
          {formatBytes(node.size)} · {formatDate(node.updatedAt)}
        </span>
      </div>
      <a className="button primary" href={linkContentUrl(token, node.id)}>
        {t('links.download')}
      </a>
    </div>
  );
};

/**
 * `/s/<token>`: what a share link opens, for anybody, signed in or not. A password-protected
 * link asks first; a drop box takes uploads; a viewer link browses and downloads.
 */
export const LinkPage = () => {
  const { t } = useTranslation();
  const token = useParams().token ?? '';
  const queryClient = useQueryClient();
  const [csrf, setCsrf] = useState<string | null>(null);
  const visit = useQuery({
    queryKey: ['link-visit', token],
    queryFn: () => fetchLinkVisit(token),
    retry: false,
  });
  const gone = visit.error instanceof ApiError && [404, 410].includes(visit.error.status);
  const following =
    !visit.isError &&
    visit.data?.role === 'viewer' &&
    visit.data.node !== null &&
    (!visit.data.requiresPassword || visit.data.unlocked);
  const live = useLinkLiveEvents(token, following);
  const title = visit.isError
    ? gone && visit.error instanceof ApiError && visit.error.status === 410
      ? t('links.expiredTitle')
      : t('links.unavailableTitle')
    : visit.data?.label || visit.data?.node?.name || t('links.sharedWithYou');
  const liveLabel = t(`links.${live}`);

  return (
    <section aria-labelledby="link-title" className="link-page">
      <h1 id="link-title">{visit.isPending ? t('links.opening') : title}</h1>
      {visit.isError && (
        <p role="alert">
          {errorMessage(visit.error)} {gone && t('links.askForNew')}
        </p>
      )}
      {visit.data && !visit.isError && (
        <>
          {visit.data.expiresAt && (
            <p className="muted small">
              {t('links.worksUntil', { date: formatDate(visit.data.expiresAt) })}
            </p>
          )}
          {following && (
            <span
              className={`live-indicator live-${live}`}
              role="status"
              aria-label={t('links.liveUpdates', { status: liveLabel })}
            >
              <span aria-hidden="true" className="live-dot" />
              {liveLabel}
            </span>
          )}
          {visit.data.requiresPassword && !visit.data.unlocked ? (
            <PasswordForm
              token={token}
              onUnlocked={(csrfToken) => {
                setCsrf(csrfToken);
                void queryClient.invalidateQueries({ queryKey: ['link-visit'] });
              }}
            />
          ) : (
            <LinkContent token={token} visit={visit.data} csrf={csrf ?? visit.data.csrfToken} />
          )}
        </>
      )}
    </section>
  );
};
