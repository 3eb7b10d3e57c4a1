import { afterAll, beforeAll, describe, it } from 'vitest';
import { PostgresServer, postgresMissing } from './postgres-server.js';

/**
 * Describes tests that need a PostgreSQL server: one throwaway cluster per call, started before the
 * tests and deleted after (postgres-server.ts). Where PostgreSQL is not installed the tests are
 * skipped with a message, except under CI=true, where that fails.
 */
export function describePostgres(name: string, body: (server: () => PostgresServer) => void): void {
  const missing = postgresMissing();
  if (missing !== undefined && process.env.CI === 'true') {
    describe(name, () =>
      it('has PostgreSQL to test against', () => {
        throw new Error(`CI needs PostgreSQL: ${missing}`);
      }),
    );
    return;
  }
  if (missing !== undefined) {
    console.warn(`skipping "${name}": ${missing}`);
    describe.skip(name, () =>
      body(() => {
        throw new Error(missing);
      }),
    );
    return;
  }
  describe(name, () => {
    let server: PostgresServer | undefined;
    beforeAll(async () => {
      server = await PostgresServer.start();
    }, 120_000);
    afterAll(async () => {
      await server?.destroy();
    }, 60_000);
    body(() => {
      if (server === undefined) throw new Error('the PostgreSQL server did not start');
      return server;
    });
  });
}
