import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';

export type SessionUser = { id: string; email: string };

export type Session =
  { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; user: SessionUser };

const SessionContext = createContext<Session>({ status: 'loading' });

/** Who is signed in, read once from the server (tokens live in HttpOnly cookies, never here). */
const fetchSession = async (): Promise<Session> => {
  const response = await fetch('/api/auth/me', { credentials: 'same-origin' });
  if (response.status === 401 || response.status === 404) return { status: 'signed-out' };
  if (!response.ok) throw new Error('The server could not tell who is signed in.');
  const body = (await response.json()) as { user: SessionUser };
  return { status: 'signed-in', user: body.user };
};

export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const { data } = useQuery({ queryKey: ['session'], queryFn: fetchSession, staleTime: 60_000 });
  return <SessionContext value={data ?? { status: 'loading' }}>{children}</SessionContext>;
};

export const useSession = () => useContext(SessionContext);
