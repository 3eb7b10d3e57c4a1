// The model files of `nas export`, one variant per format (docs/inference.md, "Export formats"): the
// trained Layers model as saved, and the frozen graphs of its BatchNorm-folded network. Each written
// variant is then loaded back the way its user would load it and measured.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-node';
import type { ResolvedArch } from '../space/resolve.js';
import { compileFrozen } from '../eval/compile/frozen.js';
import { foldBatchNorm, modelWeights, type WeightArray } from '../eval/fold.js';
import { FORMAT_ENTRIES, FORMAT_FOLDERS, type ExportFormat } from '../eval/export/formats.js';
import { loadExported } from '../eval/export/load.js';
import { exportedAccuracy, exportedLatencyMs } from '../eval/export/measure.js';
import { writeFrozenSavedModel } from '../eval/export/saved-model.js';
import { writeTfjsGraphModel } from '../eval/export/tfjs-graph.js';
import { assertTfjsGraphOps } from '../eval/export/tfjs-graph-ops.js';
import type { BatchTransform, IndexedImages } from '../eval/train/batches.js';

/** One exported format, as variants.json lists it. */
export type Variant = {
  readonly format: ExportFormat;
  /** What its loader is given, relative to the export folder. */
  readonly path: string;
  /** Bytes of all its files. */
  readonly bytes: number;
  /** Numbers stored (BatchNorm moving statistics included). */
  readonly params: number;
  readonly macs: number;
  /** Batch 1, median after warm-up, measured on the loaded artefact; null when not measured. */
  readonly latencyMs: number | null;
  /** Accuracy of the loaded artefact on the experiment's test set; null when not measured. */
  readonly accuracy: number | null;
};

/** The experiment's test set and the normalisation its evaluation batches get. */
export type TestSet = { readonly part: IndexedImages; readonly transform: BatchTransform };

/** A trained network: its architecture (resolved for the model's input and classes) and its weights. */
type Network = { readonly arch: ResolvedArch; readonly weights: ReadonlyMap<string, WeightArray> };

/**
 * Writes `formats` into `out` (the Layers model's files are copied from `modelDir`, listed in
 * `layersFiles`), then measures each. Returns the variants and the files written, relative to `out`.
 */
export async function writeVariants(
  formats: readonly ExportFormat[],
  trained: { readonly arch: ResolvedArch; readonly model: LayersModel; readonly modelDir: string; readonly layersFiles: readonly string[] },
  out: string,
  test: TestSet | undefined,
): Promise<{ variants: Variant[]; files: string[] }> {
  const layers: Network = { arch: trained.arch, weights: modelWeights(trained.model) };
  const folded = formats.some((f) => f !== 'tfjs-layers') ? foldBatchNorm(layers.arch, layers.weights) : undefined;
  const frozen = folded === undefined ? undefined : compileFrozen(folded.arch, folded.weights);
  // Refuse a network tfjs cannot run before writing anything.
  if (frozen !== undefined && formats.includes('tfjs-graph')) assertTfjsGraphOps(frozen.nodes);
  const variants: Variant[] = [];
  const files: string[] = [];
  for (const format of formats) {
    const dir = path.join(out, FORMAT_FOLDERS[format]);
    let written: string[];
    if (format === 'tfjs-layers') {
      for (const file of trained.layersFiles) await fs.copyFile(path.join(trained.modelDir, file), path.join(dir, file));
      written = [...trained.layersFiles];
    } else if (format === 'saved-model') {
      written = await writeFrozenSavedModel(frozen as NonNullable<typeof frozen>, dir);
    } else {
      written = await writeTfjsGraphModel(frozen as NonNullable<typeof frozen>, dir);
    }
    const relative = written.map((f) => path.join(FORMAT_FOLDERS[format], f));
    files.push(...relative);
    const network = format === 'tfjs-layers' ? layers : (folded as Network);
    const measured = await measure(format, dir, network.arch.inputShape, test);
    variants.push({ format, path: FORMAT_ENTRIES[format], bytes: await bytesOf(out, relative), params: paramsOf(network.weights), macs: macsOf(network.arch), ...measured });
  }
  return { variants, files };
}

async function measure(format: ExportFormat, dir: string, inputShape: readonly number[], test: TestSet | undefined): Promise<Pick<Variant, 'latencyMs' | 'accuracy'>> {
  const model = await loadExported(format, dir);
  try {
    return { latencyMs: exportedLatencyMs(model, inputShape), accuracy: test === undefined ? null : exportedAccuracy(model, test.part, test.transform) };
  } finally {
    model.dispose();
  }
}

function paramsOf(weights: ReadonlyMap<string, WeightArray>): number {
  let n = 0;
  for (const w of weights.values()) n += w.data.length;
  return n;
}

function macsOf(arch: ResolvedArch): number {
  return arch.nodes.reduce((sum, n) => sum + n.macs, 0);
}

/** Total bytes of files and folders (a folder: every file under it). */
async function bytesOf(root: string, entries: readonly string[]): Promise<number> {
  let total = 0;
  for (const entry of entries) total += await sizeOf(path.join(root, entry));
  return total;
}

async function sizeOf(file: string): Promise<number> {
  const stat = await fs.stat(file);
  if (!stat.isDirectory()) return stat.size;
  return bytesOf(file, await fs.readdir(file));
}
