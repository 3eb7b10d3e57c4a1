import { Box, Static, useInput, useStdin } from 'ink';
import type { Describe } from '../columns.js';
import { DEFAULT_OBJECTIVE } from '../header.js';
import { layoutFor } from '../layout.js';
import { elapsedMs, etaMs, phase } from '../selectors.js';
import type { DashboardState } from '../state.js';
import { AlphaView } from './AlphaView.js';
import { BestChart } from './BestChart.js';
import { Failures } from './Failures.js';
import { FinishedTrial } from './FinishedTrial.js';
import { Header } from './Header.js';
import { Lanes } from './Lanes.js';
import { Leaderboard } from './Leaderboard.js';
import { ParetoFront } from './ParetoFront.js';
import { ProgressBar } from './ProgressBar.js';
import { StatusLine } from './StatusLine.js';

/** Props of {@link Dashboard}. */
export interface DashboardProps {
  readonly state: DashboardState;
  /** The clock the elapsed times and the ETA are read against (ms). */
  readonly now: number;
  /** Terminal columns. */
  readonly width: number;
  /** Terminal rows: parts shrink to stay under them; undefined shows everything. */
  readonly rows?: number | undefined;
  readonly describe: Describe;
  /** `q` was pressed. */
  readonly onQuit: () => void;
  /** Ctrl-C was pressed (the reporter counts: once stops, twice cancels). */
  readonly onInterrupt: () => void;
}

/** The whole dashboard: finished trials scrolled above, then header, progress, the one-shot α view, lanes, leaderboard, chart, front. */
export function Dashboard({ state, now, width, rows, describe, onQuit, onInterrupt }: DashboardProps) {
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') onInterrupt();
      else if (input === 'q') onQuit();
    },
    { isActive: isRawModeSupported },
  );
  const { header } = state;
  const layout = layoutFor(state, width, rows);
  const gap = layout.gaps ? 1 : 0;
  const chartWidth = layout.sideBySide ? Math.min(48, Math.floor(width / 3)) : Math.min(width, 72);
  const paretoWidth = layout.sideBySide ? width - chartWidth - 3 : width;
  return (
    <>
      <Static items={[...state.finished]}>
        {(trial) => (
          <FinishedTrial
            key={trial.id}
            trial={trial}
            objectives={header.objectives}
            width={width}
            describe={describe}
            rungs={header.rungs}
          />
        )}
      </Static>
      <Box flexDirection="column" width={width}>
        <Header header={header} resumed={state.resumed} phase={phase(state)} />
        <ProgressBar
          done={state.done}
          total={header.budget.trials}
          running={state.lanes.length}
          failed={state.counts.FAILED}
          elapsedMs={elapsedMs(state, now)}
          etaMs={etaMs(state, now)}
          width={width}
        />
        {state.oneShot !== undefined && layout.alphaEdges !== undefined && (
          <Box marginTop={gap}>
            <AlphaView oneShot={state.oneShot} width={width} edges={layout.alphaEdges} />
          </Box>
        )}
        {layout.lanes && (
          <Box marginTop={gap}>
            <Lanes lanes={state.lanes} workers={header.workers} now={now} width={width} describe={describe} />
          </Box>
        )}
        <Box marginTop={gap}>
          <Leaderboard
            trials={state.leaderboard.slice(0, layout.leaderboardRows)}
            objectives={header.objectives}
            width={width}
            describe={describe}
          />
        </Box>
        {(layout.chartHeight > 0 || layout.paretoRows !== undefined) && (
          <Box marginTop={gap} flexDirection={layout.sideBySide ? 'row' : 'column'} columnGap={3} rowGap={gap}>
            {layout.chartHeight > 0 && (
              <Box width={chartWidth} flexShrink={0}>
                <BestChart
                  values={state.best}
                  objective={header.objectives[0] ?? DEFAULT_OBJECTIVE}
                  width={chartWidth}
                  height={layout.chartHeight}
                />
              </Box>
            )}
            {layout.paretoRows !== undefined && (
              <Box width={paretoWidth} flexShrink={0}>
                <ParetoFront
                  trials={state.pareto}
                  objectives={header.objectives}
                  width={paretoWidth}
                  describe={describe}
                  limit={layout.paretoRows}
                />
              </Box>
            )}
          </Box>
        )}
        <Failures failures={state.failures} width={width} last={layout.failureLines} />
        <StatusLine phase={phase(state)} stopReason={state.stopping?.why} strategyDone={state.strategyDone} />
      </Box>
    </>
  );
}
