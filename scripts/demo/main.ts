// The dashboard demo: a seeded synthetic search played in real time into the reporter that
// `--reporter` (or the terminal) picks, so the UI can be checked without training anything.
//   npx tsx scripts/demo/main.ts [--seed 7] [--trials 24] [--workers 4] [--epochs 4]
//                                   [--epoch-ms 1500] [--multi] [--reporter dashboard|plain|json]
import { parseArgs } from 'node:util';
import { createSpace } from '../../src/space/spaces/index.js';
import type { DashboardHeader } from '../../src/cli/ui/header.js';
import { chooseReporter, createReporter, stopRelay } from '../../src/cli/ui/reporters/index.js';
import { play } from './player.js';
import { demoSchedule } from './schedule.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '7' },
    trials: { type: 'string', default: '24' },
    workers: { type: 'string', default: '4' },
    epochs: { type: 'string', default: '4' },
    'epoch-ms': { type: 'string', default: '1500' },
    multi: { type: 'boolean', default: false },
    reporter: { type: 'string' },
  },
});

const space = createSpace('nb201');
const options = {
  experiment: 'nb201-demo',
  space,
  seed: Number(values.seed),
  trials: Number(values.trials),
  workers: Number(values.workers),
  epochs: Number(values.epochs),
  epochMs: Number(values['epoch-ms']),
  tickMs: 250,
};
const header: DashboardHeader = {
  experiment: options.experiment,
  space: 'nb201',
  strategy: 'random',
  dataset: 'cifar10',
  seed: options.seed,
  budget: { trials: options.trials },
  workers: options.workers,
  objectives: values.multi
    ? [
        { metric: 'validationAccuracy', direction: 'max' },
        { metric: 'params', direction: 'min' },
      ]
    : [{ metric: 'validationAccuracy', direction: 'max' }],
  epochs: options.epochs,
};

const relay = stopRelay();
const kind = chooseReporter(values.reporter, { isTTY: process.stdout.isTTY === true, env: process.env });
const reporter = await createReporter(kind, { header, onStop: relay.request, describe: (s) => space.format(s) });
process.on('SIGINT', () => relay.request('SIGINT'));
const playback = play(demoSchedule(options), (event) => reporter.emit(event));
relay.hook.onStop((why) => playback.stop(why));
const status = await playback.done;
await reporter.close();
process.stderr.write(`demo ${status}\n`);
