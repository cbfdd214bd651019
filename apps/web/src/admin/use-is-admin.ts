import type { Account } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/http.js';

/** Whether the signed-in account administers the instance (the server decides every call anyway). */
export const useIsAdmin = (enabled: boolean) =>
  useQuery({
    queryKey: ['account-me'],
    queryFn: () => api<Account>('/api/auth/me'),
    enabled,
    staleTime: 60_000,
  }).data?.isAdmin === true;
