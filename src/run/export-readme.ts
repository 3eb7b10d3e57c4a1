// The README.md of an exported trial: what it is, its figures, how to load it.
import type { Trial } from '../core/trial.js';
import { metricOf } from '../search/objective.js';
import { primaryObjective, type ExperimentData } from './experiment-data.js';

const FIGURES = ['validationAccuracy', 'validationLoss', 'trainAccuracy', 'testAccuracy', 'params', 'macs', 'estimatedLatencyMs', 'measuredLatencyMs'];

/** A short Markdown description of exported trial `trial`. */
export function exportReadme(data: ExperimentData, trial: Trial): string {
  const objective = primaryObjective(data.config);
  const rows = FIGURES.flatMap((name) => {
    const v = metricOf(trial, name);
    return v === undefined ? [] : [`| ${name} | ${Number.isInteger(v) ? v : v.toPrecision(5)} |`];
  });
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
    '## Files',
    '',
    '- `model.json` + weights: the trained tfjs LayersModel (no optimizer state).',
    '- `architecture.json`: the space, the sample, its canonical key and the frozen ArchSpec.',
    '- `trial.json`: metrics, cost figures and the per-epoch curve.',
    '',
    '## Loading',
    '',
    'The model uses nas\'s custom layers; register them before loading:',
    '',
    '```ts',
    "import { nasLayers } from 'nas/src/eval/build/layers/index.js';",
    "import { loadTf } from 'nas/src/backend/tf.js';",
    'nasLayers();',
    "const model = await loadTf().loadLayersModel('file://./model.json');",
    '```',
    '',
  ].join('\n');
}
