import type { Command } from 'commander';
import { DiscernError } from '../../core/index.js';
import { audit } from '../../app/audit.js';
import { randomPassword } from '../../app/passwords.js';
import { withStoreOrServer } from '../../app/remote.js';
import { createApiToken } from '../../app/sessions.js';
import { resolveDbPath } from '../../app/tests.js';
import {
  addUser,
  grantSupplier,
  listUsers,
  principalOf,
  revokeSupplier,
  type UserInfo,
} from '../../app/users.js';
import { startServer } from '../../server/index.js';
import { printJson, printTable, reportError } from '../output.js';

interface DbOpts {
  db?: string;
  json?: boolean;
}

const DB_HELP = 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)';

function port(s: string | undefined): number {
  const n = Number(s ?? 8080);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `--port must be 0..65535, got ${s}`);
  return n;
}

/** `discern serve`, `discern user add|list|grant|revoke`, `discern token create`. */
export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('Serve the HTTP API and the dashboard (holds the DuckDB file while it runs)')
    .option('--port <n>', 'port (0 = any free port)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print the address as JSON')
    .action(async (opts: DbOpts & { port?: string; host: string }) => {
      try {
        const db = resolveDbPath(opts.db);
        const server = await startServer({
          db,
          port: port(opts.port),
          host: opts.host,
          onAdminCreated: (user, password) => {
            if (password !== undefined)
              process.stderr.write(
                `created the first admin: user "${user}", password "${password}" (shown once; change it or set DISCERN_ADMIN_PASSWORD)\n`,
              );
            else
              process.stderr.write(
                `created the first admin "${user}" with the password of DISCERN_ADMIN_PASSWORD\n`,
              );
          },
        });
        if (opts.json) printJson({ url: server.url, port: server.port, db, pid: process.pid });
        else process.stdout.write(`discern serves ${db} at ${server.url} (Ctrl-C stops it)\n`);
        const stop = (): void => {
          server.close().then(
            () => process.exit(0),
            (e: unknown) => {
              reportError(e, false);
              process.exit(process.exitCode ?? 1);
            },
          );
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });

  const user = program.command('user').description('Local accounts, roles and per-supplier grants');
  user
    .command('add')
    .description('Create a user (password from $DISCERN_USER_PASSWORD, else a random one printed once)')
    .argument('<name>')
    .requiredOption('--role <role>', 'admin, engineer or viewer')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print JSON')
    .action(async (name: string, opts: DbOpts & { role: string }) => {
      try {
        const given = process.env['DISCERN_USER_PASSWORD'];
        const password = given ?? randomPassword();
        await withStoreOrServer(
          resolveDbPath(opts.db),
          async (s) => {
            await addUser(s, name, opts.role, password);
            await audit(s, process.env['USER'] ?? 'cli', 'user.add', name, { role: opts.role, via: 'cli' });
          },
          async (api) => {
            await api.call('POST', '/api/users', { username: name, role: opts.role, password });
          },
        );
        const shown = given === undefined ? password : null;
        if (opts.json) printJson({ username: name, role: opts.role, password: shown });
        else
          process.stdout.write(
            `created ${opts.role} ${name}${shown !== null ? `; password "${shown}" (shown once)` : ''}\n`,
          );
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });

  user
    .command('list')
    .description('List users, roles and grants')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print JSON')
    .action(async (opts: DbOpts) => {
      try {
        const users = await withStoreOrServer(resolveDbPath(opts.db), listUsers, (api) =>
          api.call<UserInfo[]>('GET', '/api/users'),
        );
        if (opts.json) printJson(users);
        else
          printTable(
            users.map((u) => ({
              user: u.username,
              role: u.role,
              suppliers: u.role === 'admin' ? '*' : u.suppliers.join(','),
            })),
          );
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });

  for (const [verb, desc] of [
    ['grant', "Let a user see a supplier's cell models, samples and tests"],
    ['revoke', 'Withdraw a grant'],
  ] as const)
    user
      .command(verb)
      .description(desc)
      .argument('<name>')
      .argument('<supplier>', 'supplier key (its slug, else its name)')
      .option('--db <file>', DB_HELP)
      .option('--json', 'print JSON')
      .action(async (name: string, supplier: string, opts: DbOpts) => {
        try {
          const p = await withStoreOrServer(
            resolveDbPath(opts.db),
            async (s) => {
              if (verb === 'grant') await grantSupplier(s, name, supplier);
              else await revokeSupplier(s, name, supplier);
              await audit(
                s,
                process.env['USER'] ?? 'cli',
                verb === 'grant' ? 'grant.add' : 'grant.remove',
                name,
                {
                  supplier,
                  via: 'cli',
                },
              );
              return principalOf(s, name);
            },
            (api) =>
              verb === 'grant'
                ? api.call('POST', `/api/users/${encodeURIComponent(name)}/grants`, { supplier })
                : api.call(
                    'DELETE',
                    `/api/users/${encodeURIComponent(name)}/grants/${encodeURIComponent(supplier)}`,
                  ),
          );
          if (opts.json) printJson(p);
          else process.stdout.write(`${verb === 'grant' ? 'granted' : 'revoked'} ${supplier} for ${name}\n`);
        } catch (e) {
          reportError(e, opts.json === true);
        }
      });

  program
    .command('token')
    .description('API tokens for scripts (Authorization: Bearer TOKEN)')
    .command('create')
    .description('Create an API token for a user; it is printed once')
    .argument('<name>')
    .option('--label <text>', 'what the token is for')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print JSON')
    .action(async (name: string, opts: DbOpts & { label?: string }) => {
      try {
        const token = await withStoreOrServer(
          resolveDbPath(opts.db),
          async (s) => {
            const t = await createApiToken(s, name, opts.label);
            await audit(s, process.env['USER'] ?? 'cli', 'token.create', name, { via: 'cli' });
            return t;
          },
          async (api) =>
            (
              await api.call<{ token: string }>('POST', '/api/tokens', {
                username: name,
                ...(opts.label !== undefined ? { label: opts.label } : {}),
              })
            ).token,
        );
        if (opts.json) printJson({ username: name, token });
        else process.stdout.write(`${token}\n`);
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });
}
