import type { ReactNode } from 'react';
import { Link } from 'react-router';

export const AppShell = ({ children }: { children: ReactNode }) => (
  <div className="shell">
    <header className="shell-header">
      <Link to="/" className="brand">
        My File
      </Link>
    </header>
    <main className="shell-main">{children}</main>
  </div>
);
