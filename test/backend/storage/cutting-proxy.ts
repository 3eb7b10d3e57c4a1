import { createServer, connect, type Server, type Socket } from 'node:net';

// A TCP proxy on loopback between the storage and its PostgreSQL server that can cut the connection
// at a transaction's COMMIT: before the server gets it (the transaction aborts), or after the server
// answered it but before the client reads the answer (the transaction committed, unknown to the client).

/** Where the next COMMIT is cut: `before` the server gets it, or `after` it committed (its answer is dropped). */
export type CutAt = 'before' | 'after';

/** The simple-query message of `COMMIT` as node-postgres sends it: 'Q', its length, the text, NUL. */
const COMMIT = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 11]), Buffer.from('COMMIT\0')]);

export class CuttingProxy {
  private cut: CutAt | undefined;
  private cuts = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  /** The port it listens on (127.0.0.1). */
  port = 0;

  private constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.forward(client));
  }

  /** Listens on a free loopback port and forwards every connection to `targetPort`. */
  static async start(targetPort: number): Promise<CuttingProxy> {
    const proxy = new CuttingProxy(targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as { port: number }).port;
    return proxy;
  }

  /** Cuts the connection that sends the next COMMIT, at `where`. */
  cutNextCommit(where: CutAt): void {
    this.cut = where;
  }

  /** How many connections were cut so far. */
  get cutCount(): number {
    return this.cuts;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private forward(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    let committing = false;
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', end);
      socket.on('close', end);
    }
    client.on('data', (chunk: Buffer) => {
      if (this.cut !== undefined && chunk.includes(COMMIT)) {
        if (this.cut === 'before') return this.cutNow(end);
        committing = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (committing) return this.cutNow(end);
      client.write(chunk);
    });
  }

  private cutNow(end: () => void): void {
    this.cut = undefined;
    this.cuts++;
    end();
  }
}
