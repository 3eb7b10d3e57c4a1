// The diagnostics section's pictures: the experiment's flag grid and each shown trial's gradient curves.
import type { DiagnosticsReport } from './diagnostics-data.js';
import { flagCountsChart, gradientChart } from './diagnostics-charts.js';
import type { Figure } from './figure.js';
import { chartSvg } from './render.js';

export const FLAG_COUNTS_PNG = 'diagnostic-flags.png';

/** The PNG of trial `number`'s gradient curves. */
export function gradientsPng(number: number): string {
  return `gradients-trial-${number}.png`;
}

/** The flag grid (when a flag was raised), then one gradient chart per shown trial that measured gradients. */
export async function drawDiagnostics(report: DiagnosticsReport | undefined): Promise<Figure[]> {
  if (report === undefined) return [];
  const figures: Figure[] = [];
  if (report.counts.length > 0)
    figures.push({
      title: 'Flags per op and kind, over every trial with diagnostics',
      svg: await chartSvg(flagCountsChart(report.counts)),
      png: FLAG_COUNTS_PNG,
    });
  for (const { number, view } of report.trials) {
    if (view.layers.every((l) => l.gradNorm === null)) continue;
    figures.push({
      title: `Trial ${number}: gradient norm per layer over the checks`,
      svg: await chartSvg(gradientChart(number, view)),
      png: gradientsPng(number),
    });
  }
  return figures;
}
