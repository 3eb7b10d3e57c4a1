import type { Command } from 'commander';
import { estimate } from './estimate-config.js';
import {
  OPTIMIZER_SLOTS,
  PRECISIONS,
  type OptimizerName,
  type Precision,
  type SegmentSpec,
} from '../../../space/cost/index.js';
import { costJson, costLines } from '../../format/cost.js';
import { printJson, printLine } from '../../output.js';
import {
  parseJsonObject,
  parseOneOf,
  parsePositiveInt,
  parsePositiveNumber,
  parseSegments,
  parseShape,
} from '../../parse.js';

type Flags = {
  space?: string;
  spaceOptions?: Record<string, unknown>;
  input?: number[];
  classes?: number;
  batch: number;
  optimizer?: OptimizerName;
  precision?: Precision;
  segments?: SegmentSpec;
  peakFlops?: number;
  efficiency?: number;
  measure?: boolean;
  json?: boolean;
};

/** `nas estimate`: the cost model's per-layer table and totals, without training. */
export function registerEstimate(program: Command): void {
  program
    .command('estimate')
    .description('parameters, MACs/FLOPs, memory and latency of an architecture, per layer and in total (no training)')
    .argument(
      '<arch>',
      'an ArchSpec JSON file or a reference network (resnet18, resnet50, mobilenetv2, …); with --space, a sample of that space',
    )
    .option(
      '--space <id>',
      'price a sample of a search space (nb201: the benchmark string |op~0|+|…|; others: JSON); docs/spaces.md',
    )
    .option(
      '--space-options <JSON>',
      'options of the space, e.g. \'{"channels":8}\' (defaults otherwise)',
      parseJsonObject,
    )
    .option(
      '--input <HxWxC>',
      'input shape, e.g. 32x32x3 (references default to 224x224x3, spaces to 32x32x3)',
      parseShape,
    )
    .option('--classes <K>', 'number of classes (references default to 1000, files and spaces to 10)', parsePositiveInt)
    .option('--batch <B>', 'training batch size for activation memory (and measured latency)', parsePositiveInt, 32)
    .option(
      '--optimizer <name>',
      'optimizer state in training memory: sgd (no momentum, 0 slots), momentum (SGD with momentum, 1 slot; the default, as in training), adam or adamw (2 slots)',
      parseOneOf(Object.keys(OPTIMIZER_SLOTS) as OptimizerName[]),
    )
    .option(
      '--precision <p>',
      'fp32 (default), or bf16 / fp16 mixed precision: float32 master weights, gradients and optimizer state, 2-byte weight copy and activations',
      parseOneOf(PRECISIONS),
    )
    .option(
      '--segments <K>',
      'gradient checkpointing with K segments, or sqrt for ⌈√N⌉ of N stored nodes (as train.checkpointing.segments): kept activations and the recompute cost',
      parseSegments,
    )
    .option(
      '--peak-flops <F>',
      'hardware peak in FLOP/s for the latency estimate (default 1e11, or measured with --measure)',
      parsePositiveNumber,
    )
    .option('--efficiency <E>', 'fraction of the peak reached (default 0.15)', parsePositiveNumber)
    .option(
      '--measure',
      'build the model and measure latency at batch 1 and B, eager and compiled, and the machine peak',
    )
    .option('--json', 'print one JSON object')
    .action(async (target: string, flags: Flags) => {
      const { report, measured } = await estimate({
        target,
        ...(flags.space ? { space: flags.space, spaceOptions: flags.spaceOptions ?? {} } : {}),
        batch: flags.batch,
        ...(flags.optimizer ? { optimizer: flags.optimizer } : {}),
        ...(flags.precision ? { precision: flags.precision } : {}),
        ...(flags.segments ? { segments: flags.segments } : {}),
        measure: flags.measure ?? false,
        ...(flags.input ? { inputShape: flags.input } : {}),
        ...(flags.classes ? { classes: flags.classes } : {}),
        ...(flags.peakFlops ? { peakFlops: flags.peakFlops } : {}),
        ...(flags.efficiency ? { efficiency: flags.efficiency } : {}),
      });
      if (flags.json) printJson(costJson(report, flags.batch, measured));
      else for (const line of costLines(report, flags.batch, measured)) printLine(line);
    });
}
