import { Box, Text } from 'ink';
import { bar, fit, NONE, percent } from '../format.js';
import { ALPHA_HISTORY, chosenOp, strongest, visibleEdges, type OneShotState, type RelaxedCell } from '../oneshot.js';

/** Props of {@link AlphaView}. */
export interface AlphaViewProps {
  readonly oneShot: OneShotState;
  readonly width: number;
  /** Edge lines per cell at most (edges the derived architecture keeps come first); all when unset. */
  readonly edges?: number | undefined;
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const EPOCH_BAR = 12;

/** One block per value, `low` → ▁ and `high` → █ (missing or non-finite values: `·`). */
export function blocks(values: readonly number[], low: number, high: number): string[] {
  return values.map((v) => {
    if (!Number.isFinite(v)) return '·';
    const f = high > low ? (v - low) / (high - low) : 1;
    return BLOCKS[Math.min(7, Math.max(0, Math.round(f * 7)))] ?? '·';
  });
}

/** Short op names for the bars' legend ("sep_conv_3x3" → "sep3", "skip_connect" → "skip"); the full names when two would read alike. */
export function shortNames(ops: readonly string[]): string[] {
  const short = ops.map((op) => `${op.split('_')[0] ?? op}${/(\d+)x\d+/.exec(op)?.[1] ?? ''}`);
  return new Set(short).size === short.length ? short : [...ops];
}

/** "DARTS (second order) epoch 3/10 ▕████········▏ loss 1.2345". */
export function alphaHeader(s: OneShotState): string {
  const loss = s.loss === undefined || !Number.isFinite(s.loss) ? NONE : s.loss.toFixed(4);
  return `${s.start.strategy.toUpperCase()} (${s.start.order} order) epoch ${s.epoch}/${s.start.epochs} ▕${bar(s.fraction, EPOCH_BAR)}▏ loss ${loss}`;
}

/**
 * The one-shot search while it trains: the epoch and its running loss, then per cell one line per
 * edge (its id, one bar per op scaled to the edge's strongest, the trend of the top weight over the
 * last epochs, the strongest op and its weight) and the derived architecture. The op the derived
 * architecture keeps is marked "▸", green and bold; edges it drops are dimmed.
 */
export function AlphaView({ oneShot, width, edges }: AlphaViewProps) {
  const { last } = oneShot;
  const accuracy = last === undefined ? '' : ` · val acc ${percent(last.validationAccuracy)}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold>{alphaHeader(oneShot)}</Text>
        <Text dimColor>{accuracy}</Text>
      </Text>
      {oneShot.start.cells.map((cell) => (
        <CellLines key={cell.name} oneShot={oneShot} cell={cell} width={width} limit={edges ?? cell.edges.length} />
      ))}
      {last !== undefined && (
        <Text wrap="truncate-end">
          <Text dimColor>derived </Text>
          {fit(last.derivedText, width - 8).trimEnd()}
        </Text>
      )}
    </Box>
  );
}

interface CellLinesProps {
  readonly oneShot: OneShotState;
  readonly cell: RelaxedCell;
  readonly width: number;
  readonly limit: number;
}

function CellLines({ oneShot, cell, width, limit }: CellLinesProps) {
  const shown = visibleEdges(oneShot, cell, limit);
  const label = (id: string) => (id.startsWith(`${cell.name}.`) ? id.slice(cell.name.length + 1) : id);
  const idWidth = Math.max(0, ...cell.edges.map((e) => label(e.id).length));
  const ops = cell.edges[0]?.ops ?? [];
  const longest = Math.max(0, ...cell.edges.flatMap((e) => e.ops.map((o) => o.length)));
  const opCount = Math.max(0, ...cell.edges.map((e) => e.ops.length));
  const trend = 2 + idWidth + 2 + opCount + 2 + ALPHA_HISTORY + 2 + (2 * longest + 15) <= width;
  const derived = oneShot.last?.derived;
  const anyKept = cell.edges.some((e) => chosenOp(derived, cell.name, e) !== undefined);
  const hidden = cell.edges.length - shown.length;
  const title = cell.name === 'cell' ? 'cell' : `${cell.name} cell`;
  return (
    <>
      <Text wrap="truncate-end">
        <Text bold>{title}</Text>
        <Text dimColor>
          {fit(` (${cell.edges.length} edges) · bars: ${shortNames(ops).join(' ')}`, width - title.length).trimEnd()}
        </Text>
      </Text>
      {shown.map((i) => {
        const edge = cell.edges[i];
        if (edge === undefined) return null;
        const row = oneShot.last?.weights[cell.name]?.[i] ?? [];
        const chosen = chosenOp(derived, cell.name, edge);
        return (
          <Text key={edge.id} wrap="truncate-end" dimColor={anyKept && chosen === undefined}>
            {'  '}
            {label(edge.id).padEnd(idWidth)}
            {'  '}
            <EdgeBars ops={edge.ops} row={row} chosen={chosen} />
            {'  '}
            {trend ? `${trendText(oneShot.history[cell.name]?.[i] ?? [], edge.ops.length)}  ` : ''}
            <EdgeTail ops={edge.ops} row={row} chosen={chosen} />
          </Text>
        );
      })}
      {hidden > 0 && <Text dimColor>{`  … ${hidden} more edge${hidden === 1 ? '' : 's'}`}</Text>}
    </>
  );
}

interface EdgeProps {
  readonly ops: readonly string[];
  readonly row: readonly number[];
  readonly chosen: string | undefined;
}

/** One block per op, scaled to the edge's largest weight; the kept op green and bold. */
function EdgeBars({ ops, row, chosen }: EdgeProps) {
  const chars = row.length === ops.length ? blocks(row, 0, Math.max(...row)) : ops.map(() => '·');
  return (
    <>
      {chars.map((c, j) =>
        ops[j] === chosen ? (
          <Text key={j} bold color="green">
            {c}
          </Text>
        ) : (
          <Text key={j} color="cyan">
            {c}
          </Text>
        ),
      )}
    </>
  );
}

/** The strongest op and its weight; "▸" marks the op the derived architecture keeps (after the strongest when it is another). */
function EdgeTail({ ops, row, chosen }: EdgeProps) {
  const top = strongest(row);
  const name = top === undefined ? undefined : ops[top];
  if (top === undefined || name === undefined) return <Text dimColor>{NONE}</Text>;
  const weight = (op: string) => (row[ops.indexOf(op)] ?? Number.NaN).toFixed(3);
  const strong = `${name} ${weight(name)}`;
  if (chosen === undefined) return <Text>{strong}</Text>;
  if (chosen === name) {
    return (
      <Text bold color="green">
        ▸ {strong}
      </Text>
    );
  }
  return (
    <Text>
      {strong} ▸{' '}
      <Text bold color="green">
        {chosen} {weight(chosen)}
      </Text>
    </Text>
  );
}

/** The top weight over the last epochs, from uniform (1/ops) up to its highest, right-aligned. */
function trendText(history: readonly number[], ops: number): string {
  const floor = ops > 0 ? 1 / ops : 0;
  const high = Math.max(floor, ...history.filter(Number.isFinite));
  const chars =
    high > floor
      ? blocks(
          history.map((v) => Math.max(v, floor)),
          floor,
          high,
        )
      : history.map((v) => (Number.isFinite(v) ? '▁' : '·'));
  return chars.join('').padStart(ALPHA_HISTORY);
}
