import type { Account, SignedIn } from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { ApiError } from '../api/api-error.js';
import { api, apiFetch, setCsrfToken } from '../api/http.js';

export type SessionUser = { id: string; email: string };

export type Session =
  { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; user: SessionUser };

export type SessionActions = {
  /** Called with the login/register answer: remembers the user and the new CSRF token. */
  signedIn(answer: SignedIn): void;
  signOut(): Promise<void>;
};

const SessionContext = createContext<Session>({ status: 'loading' });
const SessionActionsContext = createContext<SessionActions | null>(null);

export const sessionQueryKey = ['session'] as const;

/** Who is signed in, read from the server (tokens live in HttpOnly cookies, never here). */
const fetchSession = async (): Promise<Session> => {
  const response = await apiFetch('/api/auth/me');
  if (response.status === 401 || response.status === 404) return { status: 'signed-out' };
  if (!response.ok) {
    throw new ApiError({
      status: response.status,
      code: 'unavailable',
      // English for logs; people see errorMessage's words for the code.
      message: 'The server could not tell who is signed in.',
    });
  }
  const account = (await response.json()) as Account;
  return { status: 'signed-in', user: { id: account.id, email: account.email } };
};

/** Session state for the whole router: the user, and sign-in/out that keep the cache honest. */
export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const queryClient = useQueryClient();
  const { data } = useQuery({
    queryKey: sessionQueryKey,
    queryFn: fetchSession,
    staleTime: 60_000,
    retry: 2,
    // The server is down or restarting: keep asking, so the app comes back by itself.
    refetchInterval: (query) => (query.state.status === 'error' ? 2_000 : false),
  });

  const signedIn = useCallback(
    (answer: SignedIn) => {
      setCsrfToken(answer.csrfToken);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
      const next: Session = { status: 'signed-in', user: answer.user };
      queryClient.setQueryData(sessionQueryKey, next);
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } finally {
      setCsrfToken(undefined);
      const next: Session = { status: 'signed-out' };
      queryClient.setQueryData(sessionQueryKey, next);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    }
  }, [queryClient]);

  // A request refused as unauthenticated (session revoked elsewhere, expired) signs out here.
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        const error: unknown = event.query.state.error;
        if (event.type === 'updated' && error instanceof ApiError && error.status === 401) {
          const next: Session = { status: 'signed-out' };
          queryClient.setQueryData(sessionQueryKey, next);
        }
      }),
    [queryClient],
  );

  const actions = useMemo(() => ({ signedIn, signOut }), [signedIn, signOut]);
  return (
    <SessionContext value={data ?? { status: 'loading' }}>
      <SessionActionsContext value={actions}>{children}</SessionActionsContext>
    </SessionContext>
  );
};

export const useSession = () => useContext(SessionContext);

/** Why the session is still unknown, when asking the server failed (it is down, or offline). */
export const useSessionError = () =>
  useQuery({ queryKey: sessionQueryKey, queryFn: fetchSession, enabled: false }).error;

export const useSessionActions = (): SessionActions => {
  const actions = useContext(SessionActionsContext);
  if (!actions) throw new Error('useSessionActions needs a SessionProvider.');
  return actions;
};
