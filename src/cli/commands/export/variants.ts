// The model files of `nas export`, one variant per format (docs/inference.md, "Export formats"): the
// trained Layers model as saved, the frozen graphs of its BatchNorm-folded network and their
// quantized forms. Each written variant is then loaded back the way its user would load it and
// measured.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-node';
import type { ResolvedArch } from '../../../space/resolve.js';
import { modelWeights, type WeightArray } from '../../../eval/fold.js';
import { FORMAT_ENTRIES, FORMAT_FOLDERS, FORMAT_LOADERS, type ExportFormat } from '../../../eval/export/formats.js';
import { loadExported } from '../../../eval/export/load.js';
import { exportedAccuracy, exportedLatencyMs } from '../../../eval/export/measure.js';
import { ExportNetworks } from '../../../eval/export/networks.js';
import { assertTfjsGraphOps } from '../../../eval/export/tfjs-graph-ops.js';
import { writeFormat, type VariantCalibration } from '../../../eval/export/write-format.js';
import type { NetworkCalibration } from '../../../eval/quantize/index.js';
import type { BatchTransform, IndexedImages } from '../../../eval/train/batches.js';

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
  /** A full-integer variant's calibration: observer, training images, and the file of its activation grids (relative to the export folder). */
  readonly calibration?: VariantCalibration;
  /** saved-model-int8-kernels: how many convs run on TensorFlow's integer kernels, "n of m convs". */
  readonly integerOps?: string;
};

/** The experiment's test set and the normalisation its evaluation batches get. */
export type TestSet = { readonly part: IndexedImages; readonly transform: BatchTransform };

/** The trained model and where its saved files are. */
type Trained = {
  readonly arch: ResolvedArch;
  readonly model: LayersModel;
  readonly modelDir: string;
  readonly layersFiles: readonly string[];
};

/**
 * Writes `formats` into `out` (the Layers model's files are copied from `modelDir`, listed in
 * `layersFiles`), then measures each on `test`. `calibration` (a sample of training images) is
 * required for saved-model-int8 and saved-model-int8-kernels. Returns the variants and the files written, relative to `out`.
 */
export async function writeVariants(
  formats: readonly ExportFormat[],
  trained: Trained,
  out: string,
  data: { readonly test?: TestSet; readonly calibration?: NetworkCalibration },
): Promise<{ variants: Variant[]; files: string[] }> {
  const networks = new ExportNetworks({ arch: trained.arch, weights: modelWeights(trained.model) }, data.calibration);
  // Refuse a network tfjs cannot run before writing anything.
  if (formats.some((f) => FORMAT_LOADERS[f] === 'graph-model')) assertTfjsGraphOps(networks.frozen().nodes);
  const variants: Variant[] = [];
  const files: string[] = [];
  for (const format of formats) {
    const dir = path.join(out, FORMAT_FOLDERS[format]);
    const written = await writeFormat(format, dir, networks, { dir: trained.modelDir, files: trained.layersFiles });
    const relative = written.files.map((f) => path.join(FORMAT_FOLDERS[format], f));
    files.push(...relative);
    const { network, calibration, integerOps } = written;
    const measured = await measure(format, dir, network.arch.inputShape, data.test);
    variants.push({
      format,
      path: FORMAT_ENTRIES[format],
      bytes: await bytesOf(out, relative),
      params: paramsOf(network.weights),
      macs: macsOf(network.arch),
      ...measured,
      ...(calibration === undefined ? {} : { calibration }),
      ...(integerOps === undefined ? {} : { integerOps }),
    });
  }
  return { variants, files };
}

async function measure(
  format: ExportFormat,
  dir: string,
  inputShape: readonly number[],
  test: TestSet | undefined,
): Promise<Pick<Variant, 'latencyMs' | 'accuracy'>> {
  const model = await loadExported(format, dir);
  try {
    return {
      latencyMs: exportedLatencyMs(model, inputShape),
      accuracy: test === undefined ? null : exportedAccuracy(model, test.part, test.transform),
    };
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
