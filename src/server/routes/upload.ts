import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, extname, join, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DiscernError, httpStatusFor, type ErrorCode } from '../../core/index.js';
import { audit } from '../../app/audit.js';
import { ingestPaths, type IngestFileResult } from '../../app/ingest.js';
import type { ServerContext } from '../context.js';
import { addRoute } from '../route.js';
import { ingestResult } from '../schemas.js';

/**
 * A safe file name from a client's: the last path segment (either slash), URL-decoded, with
 * anything but letters, digits, space and `._-+()` replaced by `_`, no leading dots, at most 160
 * characters (extension kept). Never empty ("upload").
 */
export function sanitiseFileName(name: string): string {
  let n = name;
  try {
    n = decodeURIComponent(name);
  } catch {
    // not URL-encoded: keep as is
  }
  n = n.split(/[\\/]/).pop() ?? '';
  n = n
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._\-+()]/gu, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  if (n.length > 160) {
    const ext = extname(n).slice(0, 20);
    n = n.slice(0, 160 - ext.length) + ext;
  }
  return n === '' ? 'upload' : n;
}

/** A path in `dir` for `name` that is not taken (`stem~2.ext`, ...). @throws DISCERN_BAD_ARGUMENT outside `dir` */
function freePath(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let p = join(dir, name);
  for (let k = 2; existsSync(p); k++) p = join(dir, `${stem}~${k}${ext}`);
  const root = resolve(dir) + sep;
  if (!resolve(p).startsWith(root))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `the file name ${name} leaves the data folder`);
  return p;
}

/** Streams the request body to `path`, at most `max` bytes. @throws DISCERN_TOO_LARGE */
async function receive(req: FastifyRequest, path: string, max: number): Promise<number> {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > max)
        done(new DiscernError('DISCERN_TOO_LARGE', `the upload exceeds the limit of ${max} bytes`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(req.raw, limit, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (e) {
    rmSync(path, { force: true });
    if (e instanceof DiscernError) throw e;
    throw new DiscernError(
      'DISCERN_IO',
      `the upload was cut short: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return bytes;
}

/** POST /api/upload: raw body, header x-filename; stored under the data folder and ingested like the CLI. */
export function uploadRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.register(async (scope) => {
    // The body is streamed to disk by the handler, not parsed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    addRoute(scope, ctx, {
      method: 'POST',
      url: '/api/upload',
      access: 'engineer',
      schema: {
        summary: 'Upload one instrument file (raw body) and ingest it like `discern ingest --json`',
        description:
          'The file is kept under <db dir>/discern-data/ with a sanitised name. Size limit: DISCERN_UPLOAD_MAX_BYTES (default 2 GiB). A failed ingest answers with the HTTP status of its error code and the same body (status "failed", error {code, message, line?, offset?}).',
        tags: ['tests'],
        consumes: ['application/octet-stream'],
        headers: {
          type: 'object',
          required: ['x-filename'],
          properties: {
            'x-filename': {
              type: 'string',
              minLength: 1,
              maxLength: 1024,
              description: 'original file name (may be URL-encoded)',
            },
          },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            tz: { type: 'string', maxLength: 64, description: 'IANA zone of naive local times in the file' },
            format: { type: 'string', pattern: '^[a-z0-9-]{1,64}$', description: 'force a reader by id' },
          },
        },
        response: { 200: ingestResult },
      },
      handler: async (req, reply, p) => {
        const name = sanitiseFileName(String(req.headers['x-filename']));
        const q = req.query as { tz?: string; format?: string };
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared > ctx.uploadMaxBytes) {
          reply.header('connection', 'close');
          throw new DiscernError(
            'DISCERN_TOO_LARGE',
            `the upload exceeds the limit of ${ctx.uploadMaxBytes} bytes`,
          );
        }
        mkdirSync(ctx.dataDir, { recursive: true });
        const part = join(ctx.dataDir, `.upload-${randomBytes(8).toString('hex')}.part`);
        const bytes = await receive(req, part, ctx.uploadMaxBytes);
        const r: IngestFileResult = await ctx.writeLock.run(async () => {
          let final: string | undefined;
          try {
            final = freePath(ctx.dataDir, name);
            renameSync(part, final);
            const [res] = await ingestPaths(ctx.store, [final], {
              ...(q.tz !== undefined ? { timeZone: q.tz } : {}),
              ...(q.format !== undefined ? { format: q.format } : {}),
            });
            if (res!.status !== 'ingested') rmSync(final, { force: true });
            const shown = basename(final);
            // Server paths stay on the server: the result names the file as stored.
            const text = JSON.stringify(res).split(JSON.stringify(final).slice(1, -1)).join(shown);
            return { ...(JSON.parse(text) as IngestFileResult), file: shown };
          } catch (e) {
            rmSync(part, { force: true });
            if (final !== undefined) rmSync(final, { force: true });
            throw e;
          }
        });
        await ctx.auxLock.run(() =>
          audit(ctx.aux, p!.username, 'test.upload', r.test ? String(r.test.id) : null, {
            file: r.file,
            status: r.status,
            bytes,
            ...(r.error ? { error: r.error.code } : {}),
          }),
        );
        if (r.status === 'failed' && r.error) reply.code(httpStatusFor(r.error.code as ErrorCode));
        return r;
      },
    });
  });
}
