import type { Command } from 'commander';
import { startQueueWorker } from '../../run/queue/queue-worker.js';
import { parsePositiveInt } from '../parse.js';

type Flags = { queue: string; concurrency: number; threads?: number; lockMs?: number };

/** `nas worker --queue redis://host:port`: trains the trials a distributed search queues (docs/distributed.md). */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      "take trials from a search's queue (`dispatch.queue`, `--queue`) and train them here, until Ctrl-C or SIGTERM (running trials finish; a second signal leaves at once)",
    )
    .requiredOption('--queue <url>', 'the Redis URL of the queue (redis://host:port)')
    .option('--concurrency <n>', 'trials trained at once here', parsePositiveInt, 1)
    .option(
      '--threads <n>',
      "TensorFlow threads of each trial (default: this machine's cores shared between the --concurrency trials)",
      parsePositiveInt,
    )
    .option(
      '--lock-ms <ms>',
      "how long a job's lock lasts unrenewed: a dead worker's trial is taken back after about this long (default 30000)",
      parsePositiveInt,
    )
    .action(async (flags: Flags) => {
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const worker = await startQueueWorker({
        url: flags.queue,
        concurrency: flags.concurrency,
        ...(flags.threads === undefined ? {} : { threads: flags.threads }),
        ...(flags.lockMs === undefined ? {} : { lockMs: flags.lockMs }),
        log,
      });
      await new Promise<void>((resolve) => {
        const onSignal = (signal: NodeJS.Signals) => {
          process.once(signal, () => process.exit(130));
          log(`${worker.label}: ${signal}, finishing the running trials (again to leave at once)`);
          void worker.close().then(resolve);
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
    });
}
