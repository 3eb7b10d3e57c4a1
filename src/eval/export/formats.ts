/**
 * The formats `nas export` writes (design part 5.2, docs/inference.md "Export formats"): the trained
 * tfjs Layers model as saved, frozen graphs of the BatchNorm-folded network that TensorFlow's and
 * tfjs's own loaders run without nas, and their quantized variants (docs/inference.md
 * "Quantization"): SavedModels with int8 kernels, float activations (dynamic range) or calibrated
 * 8-bit ones (full integer; simulated, or on TensorFlow's integer kernels where they exist), and the
 * tfjs graph model with uint8 kernels.
 */
import { UserError } from '../../core/errors.js';

export const EXPORT_FORMATS = [
  'tfjs-layers',
  'saved-model',
  'tfjs-graph',
  'saved-model-dynamic',
  'saved-model-int8',
  'saved-model-int8-kernels',
  'tfjs-graph-uint8',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const DEFAULT_FORMATS: readonly ExportFormat[] = ['tfjs-layers'];

/**
 * Where each format goes inside the export folder. The Layers model stays at the top, as before the
 * other formats existed; each other format has its own folder. A format's place never depends on which
 * others were asked for, so a script that loads one keeps working when formats are added.
 */
export const FORMAT_FOLDERS: Readonly<Record<ExportFormat, string>> = {
  'tfjs-layers': '.',
  'saved-model': 'saved-model',
  'tfjs-graph': 'tfjs-graph',
  'saved-model-dynamic': 'saved-model-dynamic',
  'saved-model-int8': 'saved-model-int8',
  'saved-model-int8-kernels': 'saved-model-int8-kernels',
  'tfjs-graph-uint8': 'tfjs-graph-uint8',
};

/** Which loader reads a format: nas's Layers model, TensorFlow's SavedModel loader, tfjs's graph model loader. */
export type FormatLoader = 'layers' | 'saved-model' | 'graph-model';

export const FORMAT_LOADERS: Readonly<Record<ExportFormat, FormatLoader>> = {
  'tfjs-layers': 'layers',
  'saved-model': 'saved-model',
  'tfjs-graph': 'graph-model',
  'saved-model-dynamic': 'saved-model',
  'saved-model-int8': 'saved-model',
  'saved-model-int8-kernels': 'saved-model',
  'tfjs-graph-uint8': 'graph-model',
};

/** What a loader is given, relative to the export folder: a model.json, or the SavedModel's folder. */
export const FORMAT_ENTRIES: Readonly<Record<ExportFormat, string>> = {
  'tfjs-layers': 'model.json',
  'saved-model': 'saved-model',
  'tfjs-graph': 'tfjs-graph/model.json',
  'saved-model-dynamic': 'saved-model-dynamic',
  'saved-model-int8': 'saved-model-int8',
  'saved-model-int8-kernels': 'saved-model-int8-kernels',
  'tfjs-graph-uint8': 'tfjs-graph-uint8/model.json',
};

/** The formats calibrated on training images (the full-integer ones, sharing one calibration). */
export const CALIBRATED_FORMATS: readonly ExportFormat[] = ['saved-model-int8', 'saved-model-int8-kernels'];

export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}

/** The format names in flag values, each one name or several comma-separated (`a,b`). */
export function formatNames(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** What is wrong with a list of format names, or undefined: the unknown names and the known ones. */
export function unknownFormats(names: readonly string[]): string | undefined {
  const unknown = names.filter((n) => !isExportFormat(n));
  return unknown.length === 0
    ? undefined
    : `expected ${EXPORT_FORMATS.join(', ')} (one or several, comma-separated or repeated), got ${unknown.map((n) => JSON.stringify(n)).join(', ')}`;
}

/**
 * The formats of a list of names (each may be several, comma-separated), in {@link EXPORT_FORMATS}
 * order, each once; none means the default. An unknown name is a {@link UserError}.
 */
export function checkFormats(values: readonly string[]): ExportFormat[] {
  const names = formatNames(values);
  const problem = unknownFormats(names);
  if (problem !== undefined)
    throw new UserError(
      'USAGE',
      `unknown export format: ${problem}`,
      `pick from ${EXPORT_FORMATS.join(', ')}; docs/inference.md ("Export formats") says what each holds`,
    );
  const formats = EXPORT_FORMATS.filter((f) => names.includes(f));
  return formats.length > 0 ? formats : [...DEFAULT_FORMATS];
}
