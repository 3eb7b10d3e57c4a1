import type { Trial } from '../../core/trial.js';
import type { ExperimentConfig } from '../../run/config.js';
import type { Evaluator } from '../../run/evaluator.js';
import type { SearchHooks } from '../../run/search-hooks.js';
import { readBenchmarkTable } from '../../space/benchmark-table.js';
import { tableEvaluator } from '../../run/table-evaluator.js';
import { findDataset, resolveDatasetOptions } from '../../backend/data/index.js';
import { createSpace } from '../../space/spaces/index.js';
import { sampleFormatter } from '../format/arch.js';
import { headerFromConfig } from '../ui/header.js';
import { chooseReporter, createReporter, stopRelay } from '../ui/reporters/index.js';

/** The `--reporter` values of `nas search` and `nas resume` (docs/cli.md); `ink` is the dashboard. */
export const REPORTERS = ['ink', 'plain', 'json'] as const;

type Outcome = 'finished' | 'stopped';

/**
 * Runs a search with its reporter (the flag's, else the dashboard on a terminal and JSON lines
 * otherwise) and stop handling: the first Ctrl-C, SIGTERM or the dashboard's `q` asks for a
 * graceful stop (running trials finish), the next one cancels running trials. With a benchmark
 * table in the config, trials are looked up in it instead of trained. `history`: the trials a
 * resumed experiment already has.
 */
export async function runSession(
  config: ExperimentConfig,
  flag: string | undefined,
  run: (hooks: SearchHooks) => Promise<Outcome>,
  history: readonly Trial[] = [],
): Promise<Outcome> {
  const relay = stopRelay();
  const kind = chooseReporter(flag === 'ink' ? 'dashboard' : flag, {
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  });
  const reporter = await createReporter(kind, {
    header: headerFromConfig(config),
    onStop: relay.request,
    describe: sampleFormatter(config),
    history,
  });
  const onSignal = (signal: NodeJS.Signals) => relay.request(signal === 'SIGINT' ? 'Ctrl-C' : signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run({
      emit: (event) => reporter.emit(event),
      stop: relay.hook,
      ...(config.benchmark === undefined ? {} : { evaluator: benchmarkEvaluator(config, config.benchmark.table) }),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await reporter.close();
  }
}

/** Table look-ups instead of training; cost figures at the data set's input shape and the training batch. */
function benchmarkEvaluator(config: ExperimentConfig, table: string): Evaluator {
  const space = createSpace(config.space.name, config.space.options);
  const dataset = findDataset(config.dataset.name);
  const options = resolveDatasetOptions(config.dataset.name, config.dataset.options);
  const cost = {
    inputShape: dataset.shape(options),
    classes: dataset.numClasses(options),
    batch: config.train.batchSize ?? 128,
  };
  return tableEvaluator(readBenchmarkTable(table, space), space, { concurrency: config.workers, cost });
}
