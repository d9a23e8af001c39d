import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { circuitImpedance } from '../../src/analysis/eis/circuit.js';
import { fixture, haveFixtures } from '../helpers/fixtures.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './harness.js';

/** Three high-to-low sweeps of R0-p(R1,C1) (R0 = 0.02, 0.05, 0.03 Ohm; 30, 3 and 30 points). */
function threeSweepsCsv(): Uint8Array {
  const lines = ['frequency_Hz,z_real_Ohm,z_imag_Ohm'];
  for (const [r0, n] of [
    [0.02, 30],
    [0.05, 3],
    [0.03, 30],
  ] as const) {
    const f = Array.from({ length: n }, (_, k) => 1e4 * Math.pow(1e-5, k / (n - 1)));
    const z = circuitImpedance('R0-p(R1,C1)', [r0, 0.05, 0.01], f);
    f.forEach((fk, k) => lines.push(`${fk},${z.re[k]},${z.im[k]}`));
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

describe('server: GET /api/tests/:id/eis with several sweeps', () => {
  let t: TestServer;
  let admin: string;
  let three: number;
  beforeAll(async () => {
    t = await startTestServer();
    admin = await t.login('admin', ADMIN_PASSWORD);
    const r = await t.req('/api/upload', {
      method: 'POST',
      cookie: admin,
      headers: { 'x-filename': 'three-sweeps.csv' },
      body: threeSweepsCsv(),
    });
    expect(r.json.status).toBe('ingested');
    three = r.json.test.id as number;
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the sweeps and shows sweep 1 by default', async () => {
    const r = await t.req(`/api/tests/${three}/eis`, { cookie: admin });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ sweep: 1, sweep_count: 3, spectrum: 1, spectra: 3 });
    expect(r.json.frequency_Hz).toHaveLength(30);
    expect(
      r.json.sweeps.map((s: Record<string, unknown>) => [
        s['sweep'],
        s['first_row'],
        s['points'],
        s['fittable'],
      ]),
    ).toEqual([
      [1, 0, 30, true],
      [2, 30, 3, false],
      [3, 33, 30, true],
    ]);
  });

  it('fits the chosen sweep only', async () => {
    const r = await t.req(`/api/tests/${three}/eis?sweep=3&circuit=R0-p(R1,C1)`, { cookie: admin });
    expect(r.status).toBe(200);
    expect(r.json.sweep).toBe(3);
    expect(r.json.z_real_Ohm).toHaveLength(30);
    expect(r.json.fit.parameters[0].value).toBeCloseTo(0.03, 6);
    expect(r.json.fit.z_real_Ohm).toHaveLength(30);
    const old = await t.req(`/api/tests/${three}/eis?spectrum=3`, { cookie: admin });
    expect(old.json.sweep).toBe(3);
  });

  it('a sweep too short for the circuit still shows its points, with fit_error', async () => {
    const r = await t.req(`/api/tests/${three}/eis?sweep=2&circuit=R0-p(R1,C1)-p(R2,C2)-p(R3,C3)`, {
      cookie: admin,
    });
    expect(r.status).toBe(200);
    expect(r.json.z_real_Ohm).toHaveLength(3);
    expect(r.json.fit).toBeUndefined();
    expect(r.json.fit_error.code).toBe('DISCERN_INSUFFICIENT_DATA');
  });

  it('refuses a sweep that does not exist and a bad circuit', async () => {
    for (const q of ['sweep=4', 'sweep=0', 'sweep=x', 'sweep=2&circuit=R0-X1']) {
      const r = await t.req(`/api/tests/${three}/eis?${q}`, { cookie: admin });
      expect(r.status, q).toBe(400);
    }
    const r = await t.req(`/api/tests/${three}/eis?sweep=4`, { cookie: admin });
    expect(r.json.error.code).toBe('DISCERN_BAD_ARGUMENT');
  });

  it('documents the sweep parameter and the sweep list in OpenAPI', async () => {
    const doc = (await t.req('/api/openapi.json')).json;
    const op = doc.paths['/api/tests/{id}/eis'].get;
    const sweep = op.parameters.find((p: { name: string }) => p.name === 'sweep');
    expect(sweep).toMatchObject({ in: 'query', schema: { type: 'integer', minimum: 1 } });
    const schema = op.responses['200'].content['application/json'].schema;
    expect(schema.properties.sweeps.items.properties.first_row).toMatchObject({ type: 'integer' });
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['sweep', 'sweep_count', 'fit', 'fit_error']),
    );
  });

  it.skipIf(!haveFixtures)('cellpy/biol.mpr: 5 sweeps; the fit of sweep 5 is of its 54 points', async () => {
    const up = await t.req('/api/upload', {
      method: 'POST',
      cookie: admin,
      headers: { 'x-filename': 'biol.mpr' },
      body: new Uint8Array(readFileSync(fixture('cellpy/biol.mpr'))),
    });
    expect(up.json.status).toBe('ingested');
    const id = up.json.test.id as number;
    const r = await t.req(
      `/api/tests/${id}/eis?sweep=5&circuit=${encodeURIComponent('R0-p(R1,CPE1)-CPE2')}`,
      {
        cookie: admin,
      },
    );
    expect(r.status).toBe(200);
    expect(r.json.sweeps.map((s: { points: number }) => s.points)).toEqual([64, 64, 64, 64, 54]);
    expect(r.json.frequency_Hz).toHaveLength(54);
    expect(r.json.fit.rmse).toBeLessThan(1.5); // measured 0.94 Ohm; all 310 points as one: ~15 Ohm
  });
});
