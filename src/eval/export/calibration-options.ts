/**
 * How `nas export` calibrates saved-model-int8 (`--calibration`, `--observer`): the defaults and the
 * checks the command line and `exportTrial` share.
 */
import { UserError } from '../../core/errors.js';
import { DEFAULT_OBSERVER, OBSERVER_KINDS, type ObserverKind } from '../quantize/observers/index.js';

export const DEFAULT_CALIBRATION_IMAGES = 512;

export type CalibrationOptions = {
  /** Training images (default {@link DEFAULT_CALIBRATION_IMAGES}; all of the training part if it has fewer). */
  readonly images?: number;
  /** Default: the quantization library's, {@link DEFAULT_OBSERVER}. */
  readonly observer?: ObserverKind;
};

export function isObserverKind(value: string): value is ObserverKind {
  return (OBSERVER_KINDS as readonly string[]).includes(value);
}

/** What is wrong with an observer name, or undefined. */
export function observerProblem(value: string): string | undefined {
  return isObserverKind(value)
    ? undefined
    : `expected ${OBSERVER_KINDS.join(', ')} (default ${DEFAULT_OBSERVER}), got ${JSON.stringify(value)}`;
}

/** What is wrong with a number of calibration images, or undefined. */
export function calibrationImagesProblem(value: string | number): string | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && String(value).trim() !== ''
    ? undefined
    : `expected a number of training images, 1 or more (default ${DEFAULT_CALIBRATION_IMAGES}), got ${JSON.stringify(value)}`;
}

/** The options with their defaults; a bad value is a {@link UserError}. */
export function checkCalibration(options: CalibrationOptions): Required<CalibrationOptions> {
  const images = options.images ?? DEFAULT_CALIBRATION_IMAGES;
  const observer = options.observer ?? DEFAULT_OBSERVER;
  const problem = calibrationImagesProblem(images) ?? observerProblem(observer);
  if (problem !== undefined)
    throw new UserError(
      'USAGE',
      `bad calibration of saved-model-int8: ${problem}`,
      'docs/inference.md ("Quantization") describes the observers',
    );
  return { images, observer };
}
