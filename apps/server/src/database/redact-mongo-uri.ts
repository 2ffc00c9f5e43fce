/**
 * A connection string safe to log: credentials and the query string (which may hold auth
 * mechanism properties or TLS key passwords) are dropped, hosts and database name kept.
 */
export function redactMongoUri(uri: string): string {
  const withoutQuery = uri.split('?')[0] ?? uri;
  return withoutQuery.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1');
}

/** The database named in the connection string's path, if any. */
export function databaseNameFromUri(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}
