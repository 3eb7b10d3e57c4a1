/**
 * Calibration of a whole prepared network: its float form compiled and loaded, run over a sample of
 * images, one observer per activation the plan quantizes. What `nas export` calibrates its
 * full-integer SavedModel with (measure.ts calibrates inside its own measurement of the float form).
 */
import type { BatchTransform, IndexedImages } from '../train/batches.js';
import { activationPlan } from './activation-plan.js';
import { calibrate } from './calibrate.js';
import { imageBatches, withForm } from './measure.js';
import { createObserver, type ObserverKind, type Range } from './observers/index.js';
import type { PreparedNetwork } from './prepare.js';

export type NetworkCalibration = {
  /** Every image of it is used (pass a sample of training images). */
  readonly images: IndexedImages;
  /** Normalisation of every batch, as in training. */
  readonly transform?: BatchTransform;
  readonly observer: ObserverKind;
  readonly batchSize?: number;
};

/** The calibrated range of each point of `activationPlan(net.arch)`, by INPUT_ID and node id. */
export async function calibrateNetwork(net: PreparedNetwork, c: NetworkCalibration): Promise<Map<string, Range>> {
  const points = activationPlan(net.arch).points;
  return withForm(net, 'float', undefined, (model, graph) =>
    calibrate(model, graph, points, imageBatches(c.images, c.batchSize ?? 100, c.transform), () =>
      createObserver(c.observer),
    ),
  );
}
