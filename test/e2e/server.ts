import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Debian's Chromium, which the end-to-end tests drive through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** Launch flags that work on this machine (../shared/STACK.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** True when the built CLI and dashboard exist (`npm run build`). */
export const haveBuild: boolean =
  existsSync(resolve(root, 'dist/cli/main.js')) && existsSync(resolve(root, 'dist/web/index.html'));

/** A running `discern serve`. */
export interface RunningServer {
  url: string;
  process: ChildProcess;
  /** Everything the server wrote to stdout and stderr so far. */
  output: () => string;
  stop: () => Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts the real server (`node dist/cli/main.js serve --port N --db DB`) and waits until its API
 * answers (GET /api/me gives 401 without a session). Rejects with the server's output when it
 * exits or does not answer within `timeoutMs`.
 */
export async function startServer(
  db: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [resolve(root, 'dist/cli/main.js'), 'serve', '--port', String(port), '--db', db],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited) return;
    const gone = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`discern serve exited early:\n${out}`);
    try {
      const r = await fetch(`${url}/api/me`);
      if (r.status === 401 || r.status === 200) return { url, process: child, output: () => out, stop };
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 150));
  }
  await stop();
  throw new Error(`discern serve did not answer within ${timeoutMs} ms:\n${out}`);
}

/** Reads a file of the repository (for small fixture bytes sent into the page). */
export function readBytes(path: string): Buffer {
  return readFileSync(path);
}
