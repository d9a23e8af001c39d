import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, haveFixtures } from '../helpers/fixtures.js';
import { ADMIN_PASSWORD, assignToSupplier, startTestServer, type TestServer } from './harness.js';

describe.skipIf(!haveFixtures)('server: per-supplier visibility', () => {
  let t: TestServer;
  let admin: string;
  let volta: number; // a test of supplier "volta"
  let open: number; // a test with no sample
  beforeAll(async () => {
    t = await startTestServer();
    admin = await t.login('admin', ADMIN_PASSWORD);
    const up = async (rel: string, name: string): Promise<number> => {
      const r = await t.req('/api/upload', {
        method: 'POST',
        cookie: admin,
        headers: { 'x-filename': name },
        body: new Uint8Array(readFileSync(fixture(rel))),
      });
      expect(r.json.status).toBe('ingested');
      return r.json.test.id as number;
    };
    volta = await up('cellpy/neware_uio.csv', 'volta-cell.csv');
    open = await up('biologic-converter/peis.mpt', 'open.mpt');
    await assignToSupplier(t, volta, { slug: 'volta', name: 'Volta Cells Ltd' }, 'VC-NMC-5', 'VC-0001');
  });
  afterAll(async () => {
    await t.close();
  });

  const routes = (id: number): string[] => [
    `/api/tests/${id}`,
    `/api/tests/${id}/series`,
    `/api/tests/${id}/series?channels=voltage_V&points=10&from=0&to=1000`,
    `/api/tests/${id}/cycles`,
    `/api/tests/${id}/ica`,
    `/api/tests/${id}/ica?cycles=1`,
    `/api/tests/${id}/eis`,
    `/api/tests/${id}/eis?circuit=R0-p(R1,C1)`,
    `/api/tests/${id}/hppc`,
  ];

  it("a user without the grant gets 404 (not 403) on every route of that supplier's test", async () => {
    const outsider = await t.user('otto', 'engineer', ['other-supplier']);
    const missing = await t.req('/api/tests/999999', { cookie: outsider });
    for (const path of routes(volta)) {
      const r = await t.req(path, { cookie: outsider });
      expect(r.status, path).toBe(404);
      // The same answer as for a test that does not exist (only the id differs).
      expect(r.json.error.code, path).toBe(missing.json.error.code);
      expect(r.json.error.message).toBe(`no test ${volta}`);
    }
    const del = await t.req(`/api/tests/${volta}`, { method: 'DELETE', cookie: outsider });
    expect(del.status).toBe(404);
    expect((await t.req(`/api/tests/${volta}`, { cookie: admin })).status).toBe(200);
    // Through a token as well.
    const token = (await t.req('/api/tokens', { method: 'POST', cookie: admin, body: { username: 'otto' } }))
      .json.token;
    expect((await t.req(`/api/tests/${volta}/series`, { token })).status).toBe(404);
  });

  it('the overview hides the supplier, its cell models, samples and tests; tests without a sample stay visible', async () => {
    const outsider = await t.login('otto', 'otto-password');
    const o = (await t.req('/api/overview', { cookie: outsider })).json;
    expect(o.suppliers).toEqual([]);
    expect(o.cell_models).toEqual([]);
    expect(o.samples).toEqual([]);
    expect(o.tests.map((x: { test_id: number }) => x.test_id)).toEqual([open]);
    const a = (await t.req('/api/overview', { cookie: admin })).json;
    expect(a.suppliers).toEqual([{ id: 'volta', name: 'Volta Cells Ltd' }]);
    expect(a.cell_models[0]).toMatchObject({
      id: 'VC-NMC-5',
      supplier: 'volta',
      chemistry: 'NMC811',
      nominal_capacity_Ah: 5,
    });
    expect(a.samples).toEqual([{ serial: 'VC-0001', cell_model: 'VC-NMC-5', state: 'in-test' }]);
    const v = a.tests.find((x: { test_id: number }) => x.test_id === volta);
    expect(v).toMatchObject({
      sample: 'VC-0001',
      cell_model: 'VC-NMC-5',
      supplier: 'volta',
      rows: 9065,
      cycles: 4,
    });
  });

  it('claims, maturity and reports of a cell model follow the same rule', async () => {
    const outsider = await t.login('otto', 'otto-password');
    for (const path of ['/api/claims?cell_model=VC-NMC-5', '/api/reports/VC-NMC-5.html']) {
      expect((await t.req(path, { cookie: admin })).status, path).toBe(200);
      const r = await t.req(path, { cookie: outsider });
      expect(r.status, path).toBe(404);
      expect(r.json.error.code).toBe('DISCERN_NOT_FOUND');
    }
    const all = (await t.req('/api/maturity', { cookie: admin })).json as { cell_model?: string }[];
    expect(all.some((r) => r.cell_model === 'VC-NMC-5')).toBe(true);
    expect((await t.req('/api/maturity', { cookie: outsider })).json).toEqual([]);
  });

  it('a grant makes the supplier visible, and revoking it hides it again', async () => {
    const viewer = await t.user('gina', 'viewer');
    expect((await t.req(`/api/tests/${volta}`, { cookie: viewer })).status).toBe(404);
    const g = await t.req('/api/users/gina/grants', {
      method: 'POST',
      cookie: admin,
      body: { supplier: 'volta' },
    });
    expect(g.json).toEqual({ username: 'gina', role: 'viewer', suppliers: ['volta'] });
    expect((await t.req('/api/me', { cookie: viewer })).json.suppliers).toEqual(['volta']);
    const r = await t.req(`/api/tests/${volta}`, { cookie: viewer });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ test_id: volta, supplier: 'volta', cell_model: 'VC-NMC-5' });
    expect((await t.req(`/api/tests/${volta}/series?points=100`, { cookie: viewer })).status).toBe(200);
    expect((await t.req(`/api/tests/${volta}/cycles`, { cookie: viewer })).json).toHaveLength(4);
    const o = (await t.req('/api/overview', { cookie: viewer })).json;
    expect(o.suppliers.map((s: { id: string }) => s.id)).toEqual(['volta']);
    expect((await t.req('/api/users/gina/grants/volta', { method: 'DELETE', cookie: admin })).status).toBe(
      200,
    );
    expect((await t.req(`/api/tests/${volta}`, { cookie: viewer })).status).toBe(404);
    expect((await t.req('/api/users/gina/grants/volta', { method: 'DELETE', cookie: admin })).status).toBe(
      404,
    );
  });
});
