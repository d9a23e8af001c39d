import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

describe('server: OpenAPI document and dashboard files', () => {
  let t: TestServer;
  let web: string;
  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'discern-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>discern dashboard</title>');
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    t = await startTestServer({ webRoot: web });
  });
  afterAll(async () => {
    await t.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('documents every route of the contract from the route schemas', async () => {
    const r = await t.req('/api/openapi.json');
    expect(r.status).toBe(200);
    const doc = r.json;
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, m]) =>
      Object.keys(m).map((k) => `${k.toUpperCase()} ${p}`),
    );
    for (const op of [
      'POST /api/login',
      'POST /api/logout',
      'GET /api/me',
      'GET /api/users',
      'POST /api/users',
      'POST /api/users/{name}/grants',
      'DELETE /api/users/{name}/grants/{supplier}',
      'POST /api/tokens',
      'GET /api/audit',
      'GET /api/overview',
      'GET /api/tests/{id}',
      'DELETE /api/tests/{id}',
      'GET /api/tests/{id}/series',
      'GET /api/tests/{id}/cycles',
      'GET /api/tests/{id}/ica',
      'GET /api/tests/{id}/eis',
      'GET /api/tests/{id}/hppc',
      'POST /api/upload',
    ])
      expect(ops).toContain(op);
    const series = doc.paths['/api/tests/{id}/series'].get;
    const params = Object.fromEntries(
      series.parameters.map((p: { name: string; in: string }) => [p.name, p.in]),
    );
    expect(params).toMatchObject({
      id: 'path',
      channels: 'query',
      x: 'query',
      from: 'query',
      to: 'query',
      points: 'query',
    });
    const points = series.parameters.find((p: { name: string }) => p.name === 'points');
    expect(points.schema).toMatchObject({ type: 'integer', minimum: 2, maximum: 100000, default: 1200 });
    expect(series.responses['200'].content['application/json'].schema.properties.rows_in_range).toEqual({
      type: 'integer',
    });
    const login = doc.paths['/api/login'].post;
    expect(login.security).toEqual([]);
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['username', 'password']);
    const upload = doc.paths['/api/upload'].post;
    expect(upload.parameters.find((p: { name: string }) => p.name === 'x-filename').in).toBe('header');
    expect(Object.keys(upload.requestBody.content)).toEqual(['application/octet-stream']);
    expect(doc.components.securitySchemes.session).toMatchObject({ in: 'cookie', name: 'discern_session' });
  });

  it('serves the dashboard build, falls back to index.html for its routes, and answers JSON 404 under /api', async () => {
    const index = await fetch(`${t.server.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('discern dashboard');
    expect(await (await fetch(`${t.server.url}/assets/app.js`)).text()).toBe('console.log(1)');
    const deep = await fetch(`${t.server.url}/tests/12`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('discern dashboard');
    const api = await t.req('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(api.json.error.code).toBe('DISCERN_NOT_FOUND');
  });
});
