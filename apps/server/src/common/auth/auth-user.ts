import type { MessageSenderDto } from '@parley/contracts';
import type { IncomingHttpHeaders } from 'node:http';

/** Who is calling, as proven by the access token. */
export type AuthUser = Pick<MessageSenderDto, 'id' | 'username' | 'displayName'>;

/** The slice of the HTTP request the auth guard reads and writes. */
export interface AuthenticatedRequest {
  headers: IncomingHttpHeaders;
  user?: AuthUser;
}
