import type { DartsSample } from './genotype.js';

/** DARTS (first order), CIFAR-10, as published in `genotypes.py` (Liu et al. 2019). */
export const DARTS_V1: DartsSample = {
  normal: [
    ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 0],
    ['skip_connect', 0],
    ['sep_conv_3x3', 1],
    ['skip_connect', 0],
    ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 0],
    ['skip_connect', 2],
  ],
  reduce: [
    ['max_pool_3x3', 0],
    ['max_pool_3x3', 1],
    ['skip_connect', 2],
    ['max_pool_3x3', 0],
    ['max_pool_3x3', 0],
    ['skip_connect', 2],
    ['skip_connect', 2],
    ['avg_pool_3x3', 0],
  ],
};

/** DARTS (second order), CIFAR-10, as published in `genotypes.py`: the paper's 2.76% / 3.3M network. */
export const DARTS_V2: DartsSample = {
  normal: [
    ['sep_conv_3x3', 0],
    ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 0],
    ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 1],
    ['skip_connect', 0],
    ['skip_connect', 0],
    ['dil_conv_3x3', 2],
  ],
  reduce: [
    ['max_pool_3x3', 0],
    ['max_pool_3x3', 1],
    ['skip_connect', 2],
    ['max_pool_3x3', 1],
    ['max_pool_3x3', 0],
    ['skip_connect', 2],
    ['skip_connect', 2],
    ['max_pool_3x3', 1],
  ],
};
