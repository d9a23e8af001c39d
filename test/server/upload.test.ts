import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusFor, type ErrorCode } from '../../src/core/index.js';
import { sanitiseFileName } from '../../src/server/index.js';
import { runCli } from '../helpers/cli.js';
import { fixture, haveFixtures } from '../helpers/fixtures.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './harness.js';

describe('sanitiseFileName', () => {
  it('keeps the last segment, drops leading dots and odd characters', () => {
    expect(sanitiseFileName('../x.csv')).toBe('x.csv');
    expect(sanitiseFileName('..%2F..%2Fetc%2Fpasswd')).toBe('passwd');
    expect(sanitiseFileName('C:\\data\\..\\cell 1.mpr')).toBe('cell 1.mpr');
    expect(sanitiseFileName('..')).toBe('upload');
    expect(sanitiseFileName('.bashrc')).toBe('bashrc');
    expect(sanitiseFileName('a\u0000b;rm -rf.csv')).toBe('a_b_rm -rf.csv');
    expect(sanitiseFileName('x'.repeat(300) + '.csv')).toMatch(/^x{156}\.csv$/);
  });
});

describe.skipIf(!haveFixtures)('server: upload', () => {
  let t: TestServer;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestServer();
    cookie = await t.user('erin', 'engineer');
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (name: string, body: Uint8Array, query = ''): ReturnType<TestServer['req']> =>
    t.req(`/api/upload${query}`, { method: 'POST', cookie, headers: { 'x-filename': name }, body });

  it('ingests a real fixture like `discern ingest --json`, keeps it in the data folder and lists it', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('cellpy/neware_uio.csv')));
    const r = await upload('neware_uio.csv', bytes, '?tz=Europe/Oslo');
    expect(r.status).toBe(200);
    // MANIFEST: cellpy/neware_uio.csv has 9065 rows, 4 cycles.
    expect(r.json).toMatchObject({
      file: 'neware_uio.csv',
      status: 'ingested',
      format: 'neware-csv',
      rows: 9065,
      cycles: 4,
    });
    expect(r.json.warnings.map((w: { code: string }) => w.code)).not.toContain('DISCERN_TZ_ASSUMED');
    const kept = join(t.server.ctx.dataDir, 'neware_uio.csv');
    expect(readFileSync(kept)).toEqual(Buffer.from(bytes));
    const o = (await t.req('/api/overview', { cookie })).json;
    expect(o.tests).toContainEqual(
      expect.objectContaining({ test_id: r.json.test.id, name: 'neware_uio', rows: 9065 }),
    );
    // The same bytes again: a duplicate, and no second copy on disk.
    const again = await upload('copy.csv', bytes);
    expect(again.json).toMatchObject({ status: 'duplicate', test: { id: r.json.test.id } });
    expect(readdirSync(t.server.ctx.dataDir).sort()).toEqual(['neware_uio.csv']);
  });

  it('a bad file gives the error code the CLI gives for it, with its HTTP status', async () => {
    // A BioLogic .mpr cut in the middle of its data module.
    const whole = readFileSync(fixture('biologic-converter/cv.mpr'));
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    const local = join(t.dir, 'cut-cv.mpr');
    writeFileSync(local, cut);
    const cli = runCli(['ingest', '--db', join(t.dir, 'cli.duckdb'), '--json', local]);
    const cliResult = (cli.json() as { status: string; error: { code: string; offset?: number } }[])[0]!;
    expect(cliResult.status).toBe('failed');
    const r = await upload('cut-cv.mpr', new Uint8Array(cut));
    expect(r.json.status).toBe('failed');
    expect(r.json.error.code).toBe(cliResult.error.code);
    expect(r.json.error.offset).toBe(cliResult.error.offset);
    expect(r.status).toBe(httpStatusFor(cliResult.error.code as ErrorCode));
    // No server path in the answer, and the failed file is not kept.
    expect(JSON.stringify(r.json)).not.toContain(t.server.ctx.dataDir);
    expect(existsSync(join(t.server.ctx.dataDir, 'cut-cv.mpr'))).toBe(false);
    const unknown = await upload(
      'notes.bin',
      new TextEncoder().encode('hello, this is not instrument data\n'),
    );
    expect(unknown.json.error.code).toBe('DISCERN_UNKNOWN_FORMAT');
    expect(unknown.status).toBe(415);
  });

  it('names that try to leave the data folder stay inside it', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('biologic-converter/peis.mpt')));
    const parent = dirname(t.server.ctx.dataDir);
    const before = readdirSync(parent).sort();
    const names = [
      '../peis-a.mpt',
      '..%2F..%2Fpeis-b.mpt',
      '/tmp/peis-c.mpt',
      '..\\..\\peis-d.mpt',
      '....//peis-e.mpt',
    ];
    const r = await upload(names[0]!, bytes);
    expect(r.json.status).toBe('ingested');
    expect(r.json.file).toBe('peis-a.mpt');
    for (const n of names.slice(1)) {
      // The bytes are a duplicate now: the answer names the file inside the data folder and removes it.
      const d = await upload(n, bytes);
      expect(d.status).toBe(200);
      expect(d.json.file).not.toContain('/');
      expect(d.json.file).not.toContain('..');
    }
    expect(readdirSync(parent).sort()).toEqual(before);
    expect(existsSync('/tmp/peis-c.mpt')).toBe(false);
    expect(readdirSync(t.server.ctx.dataDir)).toContain('peis-a.mpt');
  });

  it('refuses uploads over the size limit and leaves nothing behind; x-filename is required', async () => {
    const old = t.server.ctx.uploadMaxBytes;
    t.server.ctx.uploadMaxBytes = 1000;
    try {
      const big = new Uint8Array(readFileSync(fixture('biologic-converter/peis.mpt')));
      const r = await upload('big.mpt', big);
      expect(r.status).toBe(413);
      expect(r.json.error.code).toBe('DISCERN_TOO_LARGE');
      // Without a Content-Length the stream is counted as it arrives.
      const chunks = new ReadableStream<Uint8Array>({
        start(c) {
          for (let k = 0; k < 10; k++) c.enqueue(big.subarray(k * 500, (k + 1) * 500));
          c.close();
        },
      });
      const res = await fetch(`${t.server.url}/api/upload`, {
        method: 'POST',
        headers: { cookie, 'x-filename': 'streamed.mpt', 'content-type': 'application/octet-stream' },
        body: chunks,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(readdirSync(t.server.ctx.dataDir).filter((f) => f.endsWith('.part'))).toEqual([]);
    } finally {
      t.server.ctx.uploadMaxBytes = old;
    }
    const none = await t.req('/api/upload', { method: 'POST', cookie, body: new Uint8Array([1, 2, 3]) });
    expect(none.status).toBe(400);
  });

  it('deleting a test is for engineers and admins and removes it from the overview', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const o = (await t.req('/api/overview', { cookie: admin })).json;
    const id = o.tests[0].test_id as number;
    const d = await t.req(`/api/tests/${id}`, { method: 'DELETE', cookie });
    expect(d.json).toEqual({ deleted: { id, name: o.tests[0].name } });
    const after = (await t.req('/api/overview', { cookie: admin })).json;
    expect(after.tests.map((x: { test_id: number }) => x.test_id)).not.toContain(id);
  });
});
