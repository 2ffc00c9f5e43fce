import { startTestApp, type TestApp } from './support/test-app';

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, unknown>; security?: unknown[] }>
  >;
  components: { schemas: Record<string, unknown> };
}

const EXPECTED_OPERATIONS = [
  'post /api/auth/guest',
  'post /api/auth/register',
  'post /api/auth/login',
  'post /api/auth/refresh',
  'post /api/auth/logout',
  'post /api/auth/claim',
  'get /api/users',
  'get /api/users/me',
  'patch /api/users/me',
  'get /api/users/{username}',
  'post /api/rooms',
  'get /api/rooms',
  'get /api/rooms/{id}',
  'get /api/rooms/{id}/messages',
  'post /api/rooms/{id}/files',
  'get /api/files/{id}',
  'get /api/files/{id}/thumbnail',
  'patch /api/rooms/{id}',
  'delete /api/rooms/{id}',
  'put /api/rooms/{id}/notifications',
  'get /api/rooms/{id}/members',
  'patch /api/rooms/{id}/members/{userId}',
  'delete /api/rooms/{id}/members/{userId}',
  'post /api/rooms/{id}/leave',
  'get /api/rooms/{id}/bans',
  'put /api/rooms/{id}/bans/{userId}',
  'delete /api/rooms/{id}/bans/{userId}',
  'post /api/rooms/{id}/invites',
  'get /api/rooms/{id}/invites',
  'delete /api/rooms/{id}/invites/{code}',
  'post /api/invites/{code}/accept',
  'post /api/dms',
  'get /api/rooms/{id}/pins',
  'get /api/search/messages',
  'get /api/health',
];

const PUBLIC_PATHS = new Set([
  '/api/auth/guest',
  '/api/auth/register',
  '/api/auth/login',
  '/api/auth/refresh',
  '/api/auth/logout',
  '/api/health',
]);

describe('OpenAPI document', () => {
  let t: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http.get('/api/docs-json').expect(200)).body as OpenApiDocument;
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists every route, and nothing else', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(operations.sort()).toEqual([...EXPECTED_OPERATIONS].sort());
  });

  it('resolves every $ref', () => {
    const refs = collectRefs(document);
    expect(refs.length).toBeGreaterThan(10);
    const unresolved = refs.filter((ref) => {
      const name = ref.replace('#/components/schemas/', '');
      return !ref.startsWith('#/components/schemas/') || !(name in document.components.schemas);
    });
    expect(unresolved).toEqual([]);
  });

  it('generates the contract schemas from the class-validator decorators', () => {
    expect(document.components.schemas['SendMessageDto']).toMatchObject({
      properties: {
        content: { type: 'string', minLength: 0, maxLength: 4000 },
        clientMessageId: { format: 'uuid' },
      },
      required: expect.arrayContaining(['room', 'content', 'clientMessageId']),
    });
    expect(document.components.schemas['MessagePageDto']).toMatchObject({
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/MessageDto' } } },
    });
    // Server-internal validation classes stay out of the public document.
    expect(document.components.schemas).not.toHaveProperty('EnvironmentVariables');
  });

  it('documents a success response, the error envelope and auth on every operation', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const statuses = Object.keys(operation.responses);
        expect([`${method} ${path}`, statuses.some((status) => status.startsWith('2'))]).toEqual([
          `${method} ${path}`,
          true,
        ]);
        expect(JSON.stringify(operation.responses['500'])).toContain(
          '#/components/schemas/ErrorResponseDto',
        );
        // The refresh cookie is the credential of refresh and logout, not a bearer token.
        const isPublic = PUBLIC_PATHS.has(path);
        expect([`${method} ${path}`, Boolean(operation.security?.length)]).toEqual([
          `${method} ${path}`,
          !isPublic,
        ]);
      }
    }
  });

  it('serves Swagger UI', async () => {
    const response = await t.http.get('/api/docs').redirects(1).expect(200);
    expect(response.text).toContain('swagger-ui');
  });
});

function collectRefs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(collectRefs);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : collectRefs(value),
  );
}
