import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { contractSchemas } from './contract-schemas';

export const DOCS_PATH = 'api/docs';
export const BEARER_AUTH = 'bearer';

const API_DESCRIPTION = `
REST API of Parley. Errors always have the shape \`{ error: { code, message, details? } }\`; branch on \`code\`.
Authenticate with \`POST /api/auth/guest\`, \`/register\` or \`/login\`, then send \`Authorization: Bearer <accessToken>\`.
The access token lasts 15 minutes; \`POST /api/auth/refresh\` renews it from the HttpOnly \`parley_refresh\` cookie
those routes set (rotated on every use).

**Real-time chat** runs over Socket.IO at \`/socket.io\` (payload classes in \`@parley/contracts\`).
Connect with \`io(origin, { auth: { token: accessToken } })\`; a refused handshake gives
\`connect_error\` with \`message: 'unauthorized'\` and \`data: { code: 'unauthorized' }\`.
Every client event answers through its acknowledgement with \`{ ok: true, data } | { ok: false, error }\`.

| client → server | payload | ack data |
|---|---|---|
| \`join_room\` | \`JoinRoomDto\` | \`JoinRoomResultDto\` |
| \`leave_room\` | \`LeaveRoomDto\` | \`LeaveRoomResultDto\` |
| \`send_message\` | \`SendMessageDto\` | \`MessageDto\` (a resend with the same \`clientMessageId\` returns the original) |

| server → client | payload |
|---|---|
| \`new_message\` | \`MessageDto\`, to every socket in the room except the sending one |
| \`system_message\` | \`SystemMessageDto\`: a user joined or left |
| \`room_added\` | \`RoomAddedDto\`, to every tab of a user who became a member (invite accepted, new direct room) |
| \`room_removed\` | \`RoomRemovedDto\` \`{room, reason: kicked, banned, deleted, left}\`, to every tab of that user; their sockets already left the room |
| \`room_updated\` | \`RoomUpdatedDto\`: renamed or new topic, to the room |
| \`member_updated\` | \`MemberUpdatedDto\`: joined, role changed, or removed (no \`member\`), to the room |

Only members are in a room's channel. \`join_room\` makes you a member of a public room; private rooms
need an accepted invite, direct rooms \`POST /api/dms\`. \`send_message\` is limited to a burst of 20,
then 10 per 10 s, per user: ack error \`rate_limited\` with \`details.retryAfterMs\`. REST is limited per
IP (429 \`rate_limited\`); requests and handshakes from foreign origins are refused.

Frames over 64 KB close the connection.
`.trim();

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Parley API')
    .setDescription(API_DESCRIPTION)
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_AUTH)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...contractSchemas() },
  };
  return document;
}

/** Swagger UI at `/api/docs`, the JSON at `/api/docs-json`. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
  });
}
