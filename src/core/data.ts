/** Height, width and channels of one image (NHWC without the batch axis). */
export type ImageShape = readonly [h: number, w: number, c: number];

/**
 * Images and labels of one part of a data set. Images are float32 NHWC scaled to [0, 1], labels are
 * class indices; both live on a SharedArrayBuffer, so posting a set to a worker thread shares it.
 */
export type ImageSet = {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly shape: ImageShape;
};

/** A loaded data set: its classes and its official train and test parts. */
export type Dataset = {
  readonly name: string;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  readonly train: ImageSet;
  readonly test: ImageSet;
};
