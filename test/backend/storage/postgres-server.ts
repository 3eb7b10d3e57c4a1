// A throwaway PostgreSQL cluster for tests and benches: initdb into a temporary folder, pg_ctl start
// on a free high loopback port (trust authentication, loopback only), stopped and deleted after. As
// root, the cluster's programs run as the `postgres` user, which owns the folder (PostgreSQL refuses
// to run as root).
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The one role that must give a password (any other is trusted on loopback); tests create it with CREATE ROLE. */
export const PASSWORD_USER = 'with_password';

/** Where Debian installs PostgreSQL's server programs (not on PATH). */
const DEBIAN_BIN = '/usr/lib/postgresql';

/** The folder holding initdb and pg_ctl, or undefined when PostgreSQL is not installed here. */
export function postgresBin(): string | undefined {
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .find((dir) => dir !== '' && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
  if (onPath !== undefined) return onPath;
  if (!existsSync(DEBIAN_BIN)) return undefined;
  const versions = readdirSync(DEBIAN_BIN).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(DEBIAN_BIN, v, 'bin')).find((dir) => existsSync(path.join(dir, 'initdb')));
}

/** Why PostgreSQL tests cannot run here (no initdb/pg_ctl, or no `postgres` user to run them as root), or undefined. */
export function postgresMissing(): string | undefined {
  if (postgresBin() === undefined)
    return 'initdb and pg_ctl were not found (on PATH or in /usr/lib/postgresql/*/bin); install PostgreSQL: apt-get install -y postgresql';
  if (process.getuid?.() === 0 && postgresUid() === undefined)
    return 'running as root, but there is no `postgres` user to run the server as';
  return undefined;
}

/** The `postgres` user's ids, from the passwd file. */
function postgresUid(): { uid: number; gid: number } | undefined {
  const line = existsSync('/etc/passwd')
    ? readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .find((l) => l.startsWith('postgres:'))
    : undefined;
  if (line === undefined) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A port nobody listens on now, picked by the OS from its high (ephemeral) range. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running throwaway cluster. */
export class PostgresServer {
  private databases = 0;

  private constructor(
    private readonly bin: string,
    readonly dir: string,
    public port: number,
  ) {}

  /** initdb + pg_ctl start; call {@link PostgresServer.destroy} after. */
  static async start(): Promise<PostgresServer> {
    const bin = postgresBin();
    const missing = postgresMissing();
    if (bin === undefined || missing !== undefined) throw new Error(missing);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nas-postgres-'));
    const owner = process.getuid?.() === 0 ? postgresUid() : undefined;
    if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
    const server = new PostgresServer(bin, dir, await freePort());
    try {
      await server.program('initdb', [
        '-D',
        server.data,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ]);
      const hba = path.join(server.data, 'pg_hba.conf');
      writeFileSync(hba, `host all ${PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
      for (let tries = 1; ; tries++) {
        try {
          await server.ctl('start');
          break;
        } catch (error) {
          if (tries === 3) throw error;
          server.port = await freePort(); // taken by another process meanwhile
        }
      }
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return server;
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  /** The URL of `database` on this server (as the superuser `postgres`, no password: trust). */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates a fresh, empty database and returns its URL. */
  async createDatabase(name = `test_${++this.databases}`): Promise<string> {
    await this.sql(`CREATE DATABASE ${name}`);
    return this.url(name);
  }

  /** Runs `sql` on `database` through a short-lived connection; returns the rows of the last statement. */
  async sql<T = Record<string, unknown>>(sql: string, database = 'postgres', params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Stops the server (fast: open sessions are ended, their transactions rolled back). */
  async stop(): Promise<void> {
    await this.ctl('stop', '-m', 'fast');
  }

  /** Starts it again on the same port. */
  async start(): Promise<void> {
    await this.ctl('start');
  }

  /** Restarts it (fast shutdown, then start): every open connection is cut. */
  async restart(): Promise<void> {
    await this.ctl('restart', '-m', 'fast');
  }

  /** Stops the server (immediately) and deletes its folder. */
  async destroy(): Promise<void> {
    try {
      await this.ctl('stop', '-m', 'immediate');
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** pg_ctl `command`; starting ones listen on loopback only, at {@link PostgresServer.port}. */
  private ctl(command: 'start' | 'stop' | 'restart', ...options: string[]): Promise<void> {
    const settings = `-c listen_addresses=127.0.0.1 -p ${this.port} -c unix_socket_directories='${this.dir}' -c fsync=off`;
    const starting = command === 'stop' ? [] : ['-l', path.join(this.dir, 'server.log'), '-o', settings];
    return this.program('pg_ctl', [command, '-D', this.data, '-w', '-t', '60', ...starting, ...options]);
  }

  /** Runs one of PostgreSQL's programs, as the `postgres` user when this process is root. */
  private async program(program: string, args: string[]): Promise<void> {
    const file = path.join(this.bin, program);
    const [cmd, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    try {
      await run(cmd, argv, { cwd: this.dir });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${program} ${args[0] ?? ''} failed: ${(stderr || stdout || (error as Error).message).trim()}`, {
        cause: error,
      });
    }
  }
}
