// A throwaway Redis for tests and benches: redis-server on a free high loopback port, its data (an
// append-only file, so a restart keeps the queue) in a temporary folder, stopped and deleted after.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../backend/storage/postgres-server.js';

/** Why Redis tests cannot run here, or undefined. */
export function redisMissing(): string | undefined {
  return spawnSync('redis-server', ['--version']).error === undefined
    ? undefined
    : 'redis-server was not found; install it: apt-get install -y redis-server';
}

export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(path.join(os.tmpdir(), 'nas-redis-')));
    await server.up();
    return server;
  }

  /** Stops the server (SIGTERM: it writes its data) and starts it again on the same port and folder. */
  async restart(downMs: number): Promise<void> {
    await this.down();
    await new Promise((r) => setTimeout(r, downMs));
    await this.up();
  }

  async stop(): Promise<void> {
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async up(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
    ];
    this.process = spawn('redis-server', args, { stdio: 'ignore' });
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    client.on('error', () => undefined); // refused until the server listens
    for (let i = 0; i < 200; i++) {
      if (
        await client.connect().then(
          () => client.ping(),
          () => undefined,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    client.disconnect();
  }

  private async down(): Promise<void> {
    const running = this.process;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    await exited;
  }
}
