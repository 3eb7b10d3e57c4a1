import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { UserError } from '../../../core/errors.js';
import {
  calibrationImagesProblem,
  DEFAULT_CALIBRATION_IMAGES,
  observerProblem,
} from '../../../eval/export/calibration-options.js';
import { EXPORT_FORMATS, formatNames, unknownFormats } from '../../../eval/export/formats.js';
import { DEFAULT_OBSERVER, OBSERVER_KINDS, type ObserverKind } from '../../../eval/quantize/index.js';
import { exportTrial, type TrialChoice } from './write-export.js';
import type { Variant } from './variants.js';
import { STORAGE_OPTION, displayPath, storagePath } from '../../config/loader.js';
import { printLine } from '../../output.js';

type Flags = {
  trial?: number;
  best?: boolean;
  out: string;
  storage?: string;
  format: string[];
  accuracy: boolean;
  calibration?: number;
  observer?: ObserverKind;
};

/** `nas export <experiment> [--trial N | --best] --out DIR [--format F…]`: a trained trial's model in the formats asked, its architecture and figures. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      "write a trial's trained model into a folder (tfjs Layers model, frozen SavedModel, tfjs graph model, and their 8-bit quantized forms), with its architecture (architecture.json), figures (trial.json, variants.json) and a README; the export is recorded in the storage file for `nas report`",
    )
    .argument('<experiment>', 'the experiment name (`nas ls` lists them)')
    .option('--trial <n>', 'the trial number', trialNumber)
    .option('--best', 'the best trial by the primary objective (the default)')
    .requiredOption('--out <dir>', 'the folder to write (created if missing)')
    .addOption(
      new Option('--format <formats>', `${EXPORT_FORMATS.join(', ')}; repeat the flag or separate with commas`)
        .argParser(collectFormats)
        .default([], 'tfjs-layers'),
    )
    .option(
      '--calibration <n>',
      `training images saved-model-int8 and saved-model-int8-kernels are calibrated on (default ${DEFAULT_CALIBRATION_IMAGES})`,
      calibrationImages,
    )
    .option(
      '--observer <kind>',
      `how saved-model-int8 and saved-model-int8-kernels pick each activation's range from the calibration images: ${OBSERVER_KINDS.join(', ')} (default ${DEFAULT_OBSERVER})`,
      observerKind,
    )
    .option('--no-accuracy', "skip measuring each exported model's accuracy on the experiment's test set")
    .option(STORAGE_OPTION.flags, STORAGE_OPTION.description)
    .action(async (name: string, flags: Flags) => {
      if (flags.trial !== undefined && flags.best) throw new UserError('USAGE', 'give --trial N or --best, not both');
      const choice: TrialChoice = flags.trial === undefined ? { best: true } : { trial: flags.trial };
      const file = await storagePath(flags.storage);
      const result = await exportTrial(file, name, choice, path.resolve(flags.out), {
        formats: flags.format,
        accuracy: flags.accuracy,
        calibration: {
          ...(flags.calibration === undefined ? {} : { images: flags.calibration }),
          ...(flags.observer === undefined ? {} : { observer: flags.observer }),
        },
      });
      printLine(`exported trial ${result.trial} of ${name} to ${displayPath(result.out)}: ${result.files.join(', ')}`);
      for (const v of result.variants) printLine(`  ${variantLine(v)}`);
      if (result.accuracyNote !== undefined) printLine(`  test accuracy ${result.accuracyNote}`);
    });
}

function collectFormats(value: string, previous: string[]): string[] {
  const names = formatNames([value]);
  const problem = unknownFormats(names);
  if (problem !== undefined) throw new InvalidArgumentError(problem);
  return [...previous, ...names];
}

function calibrationImages(value: string): number {
  const problem = calibrationImagesProblem(value);
  if (problem !== undefined) throw new InvalidArgumentError(problem);
  return Number(value);
}

function observerKind(value: string): ObserverKind {
  const problem = observerProblem(value);
  if (problem !== undefined) throw new InvalidArgumentError(problem);
  return value as ObserverKind;
}

function variantLine(v: Variant): string {
  const latency = v.latencyMs === null ? '' : `, ${v.latencyMs.toFixed(2)} ms at batch 1`;
  const accuracy = v.accuracy === null ? '' : `, test accuracy ${(v.accuracy * 100).toFixed(2)} %`;
  const calibration =
    v.calibration === undefined
      ? ''
      : `, calibrated on ${v.calibration.images} training images (${v.calibration.observer})`;
  const integerOps = v.integerOps === undefined ? '' : `, ${v.integerOps} on integer kernels`;
  return `${v.format} (${v.path}): ${(v.bytes / 1024).toFixed(1)} KiB, ${v.params.toLocaleString('en-US')} params${latency}${accuracy}${calibration}${integerOps}`;
}

function trialNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a trial number (0, 1, …), got ${JSON.stringify(value)}`);
  return n;
}
