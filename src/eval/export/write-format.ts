/**
 * Writes one export format into its folder from the networks of an export (networks.ts): the Layers
 * model's saved files copied as they are, the frozen graphs through the SavedModel and tfjs graph
 * model writers, the full-integer SavedModels (simulated, and on integer kernels) with their
 * quantization.json.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FrozenNetwork } from '../compile/frozen.js';
import type { ObserverKind } from '../quantize/observers/index.js';
import { FORMAT_FOLDERS, type ExportFormat } from './formats.js';
import type { ExportNetworks, Network } from './networks.js';
import { QUANTIZATION_FILE, type QuantizationFile } from './quantization-file.js';
import { writeFrozenSavedModel } from './saved-model.js';
import { writeTfjsGraphModel } from './tfjs-graph.js';

/** A full-integer variant's calibration: observer, training images, and its quantization.json relative to the export folder. */
export type VariantCalibration = { readonly observer: ObserverKind; readonly images: number; readonly file: string };

/** The trained Layers model as saved: its folder and files (model.json and weight shards). */
export type SavedLayersModel = { readonly dir: string; readonly files: readonly string[] };

/** What one format wrote: its files (relative to its folder), the network it holds, its calibration. */
/** The integer-kernel variant's count: "n of m convs" run on TensorFlow's integer kernels. */
export type WrittenFormat = {
  readonly files: string[];
  readonly network: Network;
  readonly calibration?: VariantCalibration;
  readonly integerOps?: string;
};

/** Writes `format` into `dir` (its folder in the export, created if missing). */
export async function writeFormat(
  format: ExportFormat,
  dir: string,
  networks: ExportNetworks,
  layers: SavedLayersModel,
): Promise<WrittenFormat> {
  switch (format) {
    case 'tfjs-layers':
      await fs.mkdir(dir, { recursive: true });
      for (const file of layers.files) await fs.copyFile(path.join(layers.dir, file), path.join(dir, file));
      return { files: [...layers.files], network: networks.layers };
    case 'saved-model':
      return { files: await writeFrozenSavedModel(networks.frozen(), dir), network: networks.folded() };
    case 'tfjs-graph':
      return { files: await writeTfjsGraphModel(networks.frozen(), dir), network: networks.folded() };
    case 'tfjs-graph-uint8':
      return {
        files: await writeTfjsGraphModel(networks.frozen(), dir, { uint8: networks.kernelConstants() }),
        network: networks.folded(),
      };
    case 'saved-model-dynamic':
      return { files: await writeFrozenSavedModel(networks.dynamic(), dir), network: networks.prepared() };
    case 'saved-model-int8': {
      const { frozen, quantization } = await networks.fullInteger();
      return { ...(await writeFullInteger(format, dir, frozen, quantization)), network: networks.prepared() };
    }
    case 'saved-model-int8-kernels': {
      const { frozen, quantization, integerOps, convs } = await networks.integerKernels();
      return {
        ...(await writeFullInteger(format, dir, frozen, quantization)),
        network: networks.prepared(),
        integerOps: `${integerOps} of ${convs} convs`,
      };
    }
  }
}

/** A full-integer SavedModel and its quantization.json. */
async function writeFullInteger(
  format: ExportFormat,
  dir: string,
  frozen: FrozenNetwork,
  quantization: QuantizationFile,
): Promise<Pick<WrittenFormat, 'files' | 'calibration'>> {
  const files = await writeFrozenSavedModel(frozen, dir);
  await fs.writeFile(path.join(dir, QUANTIZATION_FILE), `${JSON.stringify(quantization, null, 2)}\n`);
  const calibration = {
    observer: quantization.observer,
    images: quantization.calibrationImages,
    file: path.posix.join(FORMAT_FOLDERS[format], QUANTIZATION_FILE),
  };
  return { files: [...files, QUANTIZATION_FILE], calibration };
}
