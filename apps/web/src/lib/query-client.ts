import { MutationCache, onlineManager, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiRequestError } from './api-error';

/** Client errors will not change by asking again; network and server errors might. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiRequestError(error) && error.status !== undefined && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(onUnauthorized: () => void): QueryClient {
  // React Query assumes "online" until an `offline` event; a page opened offline (the service
  // worker's shell) must pause its queries instead, and resume them on `online`.
  if (typeof navigator !== 'undefined') onlineManager.setOnline(navigator.onLine);
  const handleError = (error: unknown) => {
    if (isApiRequestError(error) && error.status === 401) onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: handleError }),
    mutationCache: new MutationCache({ onError: handleError }),
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry },
      mutations: { retry: false },
    },
  });
}
