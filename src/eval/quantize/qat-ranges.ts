/**
 * The activation ranges quantization-aware training learned (the moving ranges of the compiled
 * `train_qat` step, src/eval/compile/qat.ts), keyed like calibrate()'s: by INPUT_ID and node id of
 * the prepared network (prepare.ts). They replace a calibration pass: `networkConstants(…,
 * 'full-integer', qatRanges(compiled))`. Also as a JSON file beside a trial's saved model, for
 * `nas export`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import type { CompiledModel } from '../compile/compiled-model.js';
import { QAT_STEPS } from '../compile/qat.js';
import type { Range } from './observers/observer.js';

/** The file beside a trial's saved model (model.json) that holds its QAT ranges. */
export const QAT_RANGES_FILE = 'qat-ranges.json';

/**
 * The ranges in the session of a model compiled with `qat`; throws if it has no `train_qat` step or
 * none has run yet (the ranges would be the zeros they start from).
 */
export function qatRanges(compiled: CompiledModel): Map<string, Range> {
  if (compiled.qatRanges.size === 0)
    throw new Error('the compiled model has no quantization-aware training step (compile with train.qat)');
  const tf = loadTf();
  const index = new Map(compiled.variables.map((v, i) => [v.name, i]));
  const values = compiled.readAll();
  try {
    const read = (name: string): Float32Array =>
      (values[index.get(name) as number] as Tensor).dataSync() as Float32Array;
    if ((read(QAT_STEPS)[0] as number) === 0)
      throw new Error('no quantization-aware step has run: the ranges are not set');
    return new Map(
      [...compiled.qatRanges].map(([point, name]) => {
        const [min = 0, max = 0] = read(name);
        return [point, { min, max }];
      }),
    );
  } finally {
    tf.dispose(values);
  }
}

/** Writes `ranges` into `dir` (a trial's model folder) as {@link QAT_RANGES_FILE}. */
export async function writeQatRanges(dir: string, ranges: ReadonlyMap<string, Range>): Promise<void> {
  const json = Object.fromEntries([...ranges].map(([point, r]) => [point, [r.min, r.max]]));
  await writeFile(path.join(dir, QAT_RANGES_FILE), `${JSON.stringify(json, null, 2)}\n`);
}

/** The ranges of {@link QAT_RANGES_FILE} in `dir`; undefined when the trial did not train quantization-aware (no file). */
export async function readQatRanges(dir: string): Promise<Map<string, Range> | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, QAT_RANGES_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Record<string, unknown>;
  return new Map(
    Object.entries(parsed).map(([point, r]) => {
      if (
        !Array.isArray(r) ||
        r.length !== 2 ||
        !r.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
        (r[0] as number) > (r[1] as number)
      ) {
        throw new Error(
          `${path.join(dir, QAT_RANGES_FILE)}: the range of "${point}" is not [min, max], got ${JSON.stringify(r)}`,
        );
      }
      return [point, { min: r[0] as number, max: r[1] as number }];
    }),
  );
}
