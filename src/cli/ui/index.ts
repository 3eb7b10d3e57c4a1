// What the commands use from the UI: the reporters, how one is chosen, the header and the stop relay.
export { headerFromConfig, type DashboardHeader } from './header.js';
export { compactSample } from './format.js';
export type { Describe } from './columns.js';
export {
  chooseReporter,
  createReporter,
  jsonReporter,
  plainReporter,
  REPORTER_NAMES,
  stopRelay,
  type InkReporterOptions,
  type LineStream,
  type Reporter,
  type ReporterKind,
  type ReporterOptions,
  type StopHook,
  type StopRelay,
} from './reporters/index.js';
