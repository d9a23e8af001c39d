import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  json: () => unknown;
}

/** Runs the real, built CLI (`node bin/discern.js`); `npm test` builds dist/ first. */
export function runCli(args: readonly string[], env: Record<string, string> = {}, cwd = root): CliResult {
  const r = spawnSync(process.execPath, [resolve(root, 'bin/discern.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    json: () => JSON.parse(r.stdout) as unknown,
  };
}
