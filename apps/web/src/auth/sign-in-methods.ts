import type { SignInMethods } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/http.js';

/**
 * What this server offers to sign in with. Until it is known, or when the server cannot say,
 * the password form is offered: the server refuses it anyway when it is turned off.
 */
export const useSignInMethods = (): SignInMethods => {
  const query = useQuery({
    queryKey: ['sign-in-methods'],
    queryFn: () => api<SignInMethods>('/api/auth/oidc/providers'),
    staleTime: 5 * 60_000,
  });
  return query.data ?? { passwordSignIn: true, providers: [] };
};

/** A full-page start of the provider's sign-in, coming back to `next` once signed in. */
export const providerStartUrl = (startUrl: string, next: string) =>
  `${startUrl}?next=${encodeURIComponent(next)}`;
