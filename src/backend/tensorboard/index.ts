export {
  EventFileWriter,
  eventFileName,
  writeTrialEvents,
  type EventWriterOptions,
  type HistogramRecord,
  type ScalarRecord,
} from './writer.js';
export { DEFAULT_BUCKETS, type BinnedHistogram, type ValuesHistogram } from './histogram.js';
export { EventFileError, EventInputError } from './errors.js';
