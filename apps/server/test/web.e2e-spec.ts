import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorResponseDto } from '@parley/contracts';
import { startTestApp, type TestApp } from './support/test-app';

describe('serving the web app', () => {
  let t: TestApp;
  let webDist: string;

  beforeAll(async () => {
    webDist = await mkdtemp(join(tmpdir(), 'parley-web-'));
    await mkdir(join(webDist, 'assets'));
    await writeFile(
      join(webDist, 'index.html'),
      '<!doctype html><title>Parley</title><div id="root"></div>',
    );
    await writeFile(join(webDist, 'assets', 'app.js'), 'console.log("parley");');
    t = await startTestApp({ WEB_DIST_DIR: webDist });
  });

  afterAll(async () => {
    await t.close();
    await rm(webDist, { recursive: true, force: true });
  });

  it('serves index.html at /', async () => {
    const response = await t.http.get('/').expect(200);
    expect(response.text).toContain('<title>Parley</title>');
  });

  it('serves static assets', async () => {
    const response = await t.http.get('/assets/app.js').expect(200);
    expect(response.text).toContain('parley');
  });

  it('answers deep links with index.html (SPA fallback)', async () => {
    const response = await t.http.get('/rooms/k3v9x0q2mz').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('<title>Parley</title>');
  });

  it('keeps /api out of the fallback', async () => {
    await t.http.get('/api/health').expect(200);
    for (const path of ['/api', '/api/', '/api/nothing-here', '/api/rooms/k3v9x0q2mz/nope']) {
      const response = await t.http.get(path).expect(404);
      expect([path, (response.body as ErrorResponseDto).error.code]).toEqual([path, 'not_found']);
    }
  });

  it('leaves API error answers alone (malformed JSON, oversized body, wrong method)', async () => {
    const malformed = await t.http
      .post('/api/auth/guest')
      .set('content-type', 'application/json')
      .send('{"username":')
      .expect(400);
    expect((malformed.body as ErrorResponseDto).error.code).toBe('validation_failed');
    const tooLarge = await t.http
      .post('/api/auth/guest')
      .send({ username: 'someone', displayName: 'x'.repeat(200 * 1024) })
      .expect(413);
    expect((tooLarge.body as ErrorResponseDto).error.code).toBe('payload_too_large');
    await t.http.post('/rooms/k3v9x0q2mz').expect(404);
  });

  it('keeps /socket.io out of the fallback', async () => {
    const response = await t.http.get('/socket.io/?EIO=4&transport=polling').expect(200);
    // An engine.io open packet, not the web app.
    expect(response.text).toMatch(/^0\{"sid":/);
  });
});
