import { isRouteErrorResponse, useRouteError } from 'react-router';

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <main className="empty-state" role="alert">
      <h1>Something went wrong</h1>
      <p>{message}</p>
      <p>
        <a href="/">Reload Parley</a>
      </p>
    </main>
  );
}
