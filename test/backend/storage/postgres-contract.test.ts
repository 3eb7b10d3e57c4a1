import path from 'node:path';
import { expect, it } from 'vitest';
import { openSqliteStorage, openStorage } from '../../../src/backend/storage/index.js';
import { Db } from '../../../src/backend/storage/sqlite-db.js';
import { describeStorageContract } from './contract.js';
import { describePostgres } from './postgres-describe.js';
import { dump, fill } from './search-fill.js';
import { tempDir } from './temp.js';
import { tickingClock } from './values.js';

const dir = tempDir();

/** Columns whose text both storages write alike: the JSON columns and where the non-finite numbers were. */
const ENCODED = {
  experiments: 'config, nonfinite',
  trials: 'sample, fidelity, metrics, diagnostics, engine, nonfinite',
  epochs: 'nonfinite',
  events: 'payload, nonfinite',
  strategy_states: 'state, nonfinite',
};

// The contract suite against PostgreSQL (a fresh database per case), and the same search written
// into PostgreSQL and a SQLite file.
describePostgres('PostgreSQL storage', (server) => {
  describeStorageContract('PostgreSQL', async (now) => openStorage(await server().createDatabase(), { now }));

  it('holds exactly what a SQLite file holds, read back by a read-only open, in the same encoded columns', async () => {
    const url = await server().createDatabase();
    const file = path.join(dir, 'twin.db');
    const [postgres, sqlite] = [
      await openStorage(url, { now: tickingClock() }),
      await openSqliteStorage(file, { now: tickingClock() }),
    ];
    await fill(postgres);
    await fill(sqlite);
    await postgres.close();
    const reader = await openStorage(url, { readonly: true });
    expect(await dump(reader)).toStrictEqual(await dump(sqlite));
    await reader.close();
    await sqlite.close();

    const db = await Db.open(file, true);
    for (const [table, columns] of Object.entries(ENCODED)) {
      const order = table === 'epochs' ? 'trial_id, epoch' : 'id';
      const text = columns
        .split(', ')
        .map((c) => `${c}::text AS ${c}`)
        .join(', ');
      expect(
        await server().sql(`SELECT ${text} FROM ${table} ORDER BY ${order}`, new URL(url).pathname.slice(1)),
      ).toEqual(await db.all(`SELECT ${columns} FROM ${table} ORDER BY ${order}`));
    }
    await db.close();
  });
});
