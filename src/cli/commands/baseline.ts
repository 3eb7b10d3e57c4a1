import type { Command } from 'commander';
import { loadDataset } from '../../backend/data/index.js';
import { fitBaseline, type BaselineResult } from '../../eval/fit-baseline.js';
import { parsePositiveInt } from '../parse.js';
import { printJson, printLine } from '../output.js';

type Flags = { dataset: string; epochs: number; batch: number; seed: string; limit?: number; json?: boolean };

/** `nas baseline`: train the fixed baseline CNN and print its test accuracy and speed. */
export function registerBaseline(program: Command): void {
  program
    .command('baseline')
    .description('train a small fixed CNN on a data set with the native backend; print test accuracy and images/s')
    .option('--dataset <name>', 'registered data set (nas list datasets)', 'mnist')
    .option('--epochs <n>', 'training epochs', parsePositiveInt, 1)
    .option('--batch <n>', 'batch size', parsePositiveInt, 64)
    .option('--seed <seed>', 'seed for weights and data order', '0')
    .option('--limit <n>', 'train on the first n images of the seeded order only', parsePositiveInt)
    .option('--json', 'print the result as one JSON object')
    .action(async (flags: Flags) => {
      if (!flags.json)
        printLine(`training the baseline CNN on ${flags.dataset} (${flags.epochs} epoch(s), batch ${flags.batch})…`);
      const result = await fitBaseline(await loadDataset(flags.dataset), {
        epochs: flags.epochs,
        batchSize: flags.batch,
        seed: flags.seed,
        ...(flags.limit === undefined ? {} : { trainLimit: flags.limit }),
        onEpoch: (epoch, loss) => {
          if (!flags.json) printLine(`  epoch ${epoch + 1}/${flags.epochs}: train loss ${loss.toFixed(4)}`);
        },
      });
      if (flags.json) printJson(result);
      else printSummary(result);
    });
}

function printSummary(r: BaselineResult): void {
  printLine(`test accuracy ${(r.testAccuracy * 100).toFixed(2)}% on ${r.testImages} ${r.dataset} test images`);
  printLine(
    `trained on ${r.trainImages} images in ${r.trainSeconds.toFixed(1)} s (${Math.round(r.imagesPerSecond)} images/s), ` +
      `${r.params} parameters, backend ${r.backend}`,
  );
}
