import type { ReactNode } from 'react';

export const AuthCard = ({ title, children }: { title: string; children: ReactNode }) => (
  <section className="auth-card" aria-labelledby="auth-title">
    <h1 id="auth-title">{title}</h1>
    {children}
  </section>
);

/** The link token travels in the URL fragment (`#token=…`), so no server log ever sees it. */
export const readLinkToken = (hash: string) =>
  new URLSearchParams(hash.replace(/^#/, '')).get('token');
