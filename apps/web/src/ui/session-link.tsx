import type { AnchorHTMLAttributes } from 'react';
import { ensureSession } from '../api/http.js';

/** Follows an API URL as a navigation once the session is known to be fresh. */
export const openWithSession = async (
  href: string,
  { download, newTab }: { download?: string | boolean; newTab?: boolean } = {},
) => {
  await ensureSession();
  if (newTab) {
    window.open(href, '_blank', 'noopener,noreferrer');
    return;
  }
  const link = document.createElement('a');
  link.href = href;
  if (download !== undefined && download !== false)
    link.download = download === true ? '' : download;
  document.body.append(link);
  link.click();
  link.remove();
};

type Props = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'download'> & {
  href: string;
  download?: string | boolean;
};

/**
 * A link to a download or a file opened in a tab. A plain link after ~15 idle minutes would
 * reach the server without its lapsed access cookie; this one refreshes the session first.
 * The href stays real so "copy link" and middle-click still work.
 */
export const SessionLink = ({ href, download, target, onClick, children, ...rest }: Props) => (
  <a
    {...rest}
    href={href}
    target={target}
    {...(download === undefined || download === false
      ? {}
      : { download: download === true ? '' : download })}
    onClick={(event) => {
      onClick?.(event);
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      void openWithSession(href, { download, newTab: target === '_blank' });
    }}
  >
    {children}
  </a>
);
