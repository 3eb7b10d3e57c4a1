import { Box, Text } from 'ink';
import type { Objective } from '../../../run/config.js';
import { metric, title } from '../format.js';

/** Props of {@link BestChart}. */
export interface BestChartProps {
  /** The best value after each complete trial. */
  readonly values: readonly number[];
  readonly objective: Objective;
  readonly width: number;
  readonly height?: number;
}

const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** At most `width` points: the last value of each of `width` equal runs of the series. */
export function resample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  return Array.from({ length: width }, (_, i) => values[Math.floor(((i + 1) * values.length) / width) - 1] ?? 0);
}

/** Rows of a bar chart `height` cells tall, top row first, each column one value in eighths of a cell. */
export function chartRows(values: readonly number[], height: number): string[] {
  const low = Math.min(...values);
  const span = Math.max(...values) - low;
  const levels = values.map((v) =>
    span === 0 ? height * 8 : Math.max(1, Math.round(((v - low) / span) * height * 8)),
  );
  return Array.from({ length: height }, (_, row) =>
    levels.map((l) => BLOCKS[Math.min(8, Math.max(0, l - (height - 1 - row) * 8))] ?? ' ').join(''),
  );
}

/** The best value of the primary objective after each complete trial, as a small bar chart. */
export function BestChart({ values, objective, width, height = 3 }: BestChartProps) {
  const heading = `Best ${title(objective.metric)}`;
  const last = values[values.length - 1];
  if (last === undefined) {
    return (
      <Text>
        <Text bold>{heading}</Text> <Text dimColor>(no complete trial yet)</Text>
      </Text>
    );
  }
  const low = metric(objective.metric, Math.min(...values));
  const high = metric(objective.metric, Math.max(...values));
  const axis = Math.max(low.length, high.length);
  const rows = chartRows(resample(values, Math.max(8, width - axis - 3)), height);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{heading}</Text> {metric(objective.metric, last)} <Text dimColor>({values.length} complete)</Text>
      </Text>
      {rows.map((row, i) => {
        const label = i === 0 ? high : i === rows.length - 1 ? low : '';
        return (
          <Text key={i} wrap="truncate-end">
            <Text dimColor>{label.padStart(axis)} ┤</Text>
            <Text color="cyan">{row}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
