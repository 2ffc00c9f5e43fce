import { Link } from 'react-router';

export function NotFoundRoute() {
  return (
    <div className="empty-state">
      <h2>Page not found</h2>
      <p>
        <Link to="/">Back to Parley</Link>
      </p>
    </div>
  );
}
