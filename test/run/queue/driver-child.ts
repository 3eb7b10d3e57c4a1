// A queued search in its own process, for the driver-crash test: the parent SIGKILLs it mid-run.
import { startSearch } from '../../../src/run/search.js';
import { queuedConfig } from './queue-fixture.js';

const [url, db, trials] = process.argv.slice(2);
await startSearch(queuedConfig(url as string, Number(trials), { name: 'crash', storage: db as string }), {
  emit: () => undefined,
});
