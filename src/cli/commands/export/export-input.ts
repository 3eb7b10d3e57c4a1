import type { ChannelStats } from '../../../backend/data/index.js';

/** What the exported models expect: the input shape and the normalisation of pixel values in [0, 1]. */
export type ExportInput = { readonly shape: readonly number[]; readonly normalization: ChannelStats | null };
