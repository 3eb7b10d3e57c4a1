// The README.md of an exported trial: what it is, its figures, its exported variants, what the models
// take and give, and how to load each format.
import type { Trial } from '../../../core/trial.js';
import { metricOf } from '../../../search/objective.js';
import type { ExportFormat } from '../../../eval/export/formats.js';
import { primaryObjective, type ExperimentData } from '../../../run/experiment-data.js';
import type { ExportInput } from './export-input.js';
import type { Variant } from './variants.js';

const FIGURES = [
  'validationAccuracy',
  'validationLoss',
  'trainAccuracy',
  'testAccuracy',
  'params',
  'macs',
  'estimatedLatencyMs',
  'measuredLatencyMs',
];

/** What was exported: the variants with their measured figures, the models' input, why accuracy is missing. */
export type ExportedVariants = {
  readonly variants: readonly Variant[];
  readonly input: ExportInput;
  readonly accuracyNote?: string;
};

/** A short Markdown description of exported trial `trial`. */
export function exportReadme(data: ExperimentData, trial: Trial, exported: ExportedVariants): string {
  const objective = primaryObjective(data.config);
  const rows = FIGURES.flatMap((name) => {
    const v = metricOf(trial, name);
    return v === undefined ? [] : [`| ${name} | ${Number.isInteger(v) ? v : v.toPrecision(5)} |`];
  });
  const formats = new Set(exported.variants.map((v) => v.format));
  return [
    `# ${data.experiment.name}, trial ${trial.number}`,
    '',
    `Space \`${data.config.space.name}\` ${JSON.stringify(data.config.space.options)}, data set \`${data.config.dataset.name}\`, ` +
      `${trial.outcome?.epochs.length ?? 0} epoch(s); primary objective: ${objective.direction} ${objective.metric}.`,
    '',
    '| figure | value |',
    '| --- | --- |',
    ...rows,
    '',
    ...variantTable(exported),
    ...inputSection(exported.input),
    '## Files',
    '',
    ...[...formats].map((f) => FILES[f]),
    '- `architecture.json`: the space, the sample, its canonical key and the frozen ArchSpec.',
    '- `trial.json`: metrics, cost figures and the per-epoch curve.',
    '- `variants.json`: the table above, machine-readable.',
    '',
    '## Loading',
    '',
    ...[...formats].flatMap((f) => LOADING[f]),
  ].join('\n');
}

function variantTable({ variants, accuracyNote }: ExportedVariants): string[] {
  const rows = variants.map(
    (v) =>
      `| ${v.format} | \`${v.path}\` | ${count(v.bytes)} B (${(v.bytes / 1024).toFixed(1)} KiB) | ${count(v.params)} | ${count(v.macs)} | ${v.latencyMs === null ? '–' : `${v.latencyMs.toFixed(v.latencyMs < 10 ? 2 : 1)} ms`} | ${v.accuracy === null ? '–' : `${(v.accuracy * 100).toFixed(2)} %`} |`,
  );
  const folded = variants.some((v) => v.format !== 'tfjs-layers')
    ? ' The other formats hold the trained network with its BatchNorms folded into the layers before them (docs/inference.md), so they store fewer numbers; the quantized ones store their kernels in 8 bits, so the same count takes fewer bytes.'
    : '';
  return [
    '## Exported variants',
    '',
    '| format | load | size | params | MACs | latency, batch 1 | test accuracy |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Measured at export on each file as loaded below: latency is the median of 10 predictions of one image after 3 warm-up runs (this machine); test accuracy is the artefact's on the experiment's test set${accuracyNote === undefined ? '' : ` (${accuracyNote})`}. Params count every stored number (BatchNorm statistics included).${folded}`,
    '',
  ];
}

function inputSection(input: ExportInput): string[] {
  const shape = input.shape.join(', ');
  const normalization =
    input.normalization === null
      ? 'normalised per channel as in training (the data set could not be loaded at export to state the statistics)'
      : `normalised per channel as (x − mean) / std with mean [${input.normalization.mean.map(fixed).join(', ')}] and std [${input.normalization.std.map(fixed).join(', ')}] (the training split's)`;
  return [
    '## Input and output',
    '',
    `Input \`x\`: float32 [N, ${shape}] (NHWC), pixel values in [0, 1] ${normalization}. Output \`logits\`: float32 [N, classes], before softmax.`,
    '',
  ];
}

const FILES: Readonly<Record<ExportFormat, string>> = {
  'tfjs-layers': '- `model.json` + weights: the trained tfjs LayersModel (no optimizer state).',
  'saved-model':
    '- `saved-model/`: a TensorFlow SavedModel (`saved_model.pb`, an empty `variables/`): the inference graph, BatchNorms folded, weights as constants; signature `serving_default`, input `x`, output `logits`.',
  'tfjs-graph': '- `tfjs-graph/`: the same graph as a tfjs graph model (`model.json` + `weights.bin`).',
  'saved-model-dynamic':
    '- `saved-model-dynamic/`: the same SavedModel with its conv, depthwise and dense kernels stored as int8 per output channel and dequantized in the graph (dynamic range: activations in float).',
  'saved-model-int8':
    "- `saved-model-int8/`: the full-integer SavedModel: int8 kernels, int32 biases, every activation through its calibrated 8-bit fake quantization, so it computes what an int8 runtime computes; `quantization.json` holds the calibration (observer, images) and each activation's range, scale and zero point.",
  'saved-model-int8-kernels':
    "- `saved-model-int8-kernels/`: the same full-integer graph with each conv that feeds only a ReLU and reads a grid with zero point 0 run on TensorFlow's oneDNN integer kernel (QuantizedConv2DWithBiasAndReluAndRequantize), the rest as in saved-model-int8; `quantization.json` as there. Needs a TensorFlow build with oneDNN (the stock Linux x86 ones).",
  'tfjs-graph-uint8':
    '- `tfjs-graph-uint8/`: the tfjs graph model with its kernels stored as uint8, one affine grid per tensor (tfjs dequantizes them when it loads the model).',
};

const LOADING: Readonly<Record<ExportFormat, readonly string[]>> = {
  'tfjs-layers': [
    "tfjs-layers: the model uses nas's custom layers; register them before loading:",
    '',
    '```ts',
    "import { nasLayers } from 'nas/src/eval/build/layers/index.js';",
    "import { loadTf } from 'nas/src/backend/tf.js';",
    'nasLayers();',
    "const model = await loadTf().loadLayersModel('file://./model.json');",
    '```',
    '',
  ],
  'saved-model': [
    'saved-model, with tfjs-node, TensorFlow for Python, or TF Serving (copy `saved-model/` to `models/<name>/1/`):',
    '',
    '```js',
    "const model = await tf.node.loadSavedModel('saved-model'); // tf = require('@tensorflow/tfjs-node')",
    'const logits = model.predict(x);',
    '```',
    '',
    '```python',
    "model = tf.saved_model.load('saved-model')",
    "logits = model.signatures['serving_default'](x=tf.constant(images))['logits']",
    '```',
    '',
  ],
  'tfjs-graph': graphModelLoading('tfjs-graph'),
  'saved-model-dynamic': savedModelLoading('saved-model-dynamic'),
  'saved-model-int8': savedModelLoading('saved-model-int8'),
  'saved-model-int8-kernels': savedModelLoading('saved-model-int8-kernels'),
  'tfjs-graph-uint8': graphModelLoading('tfjs-graph-uint8'),
};

function savedModelLoading(folder: string): string[] {
  return [
    `${folder}, as saved-model: \`tf.node.loadSavedModel('${folder}')\`, \`tf.saved_model.load('${folder}')\` (the same signature, input and output).`,
    '',
  ];
}

function graphModelLoading(folder: string): string[] {
  return [
    `${folder}, with any tfjs (no nas code):`,
    '',
    '```js',
    `const model = await tf.loadGraphModel('file://./${folder}/model.json');`,
    'const logits = model.predict(x);',
    '```',
    '',
  ];
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function fixed(v: number): string {
  return v.toFixed(4);
}
