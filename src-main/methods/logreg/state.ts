// What the logistic regression trains on and what it learns.
import type { CurveRows } from '../../../src-shared/sae/side-rows';

/**
 * Labelled time-normalised curves: one row per trial, channels × points features (channel-major); `labels` the class
 * of each row (e.g. the subject's group), `subjects` the unit of the train/test split.
 */
export interface CurveDataset extends CurveRows {
  /** The side of each row where a row is one side's curves (SAE: one sample per trial and side, §5.2.3). */
  sides?: ('left' | 'right' | null)[];
  /** Rows are gait cycles cut from continuous walks, in recording order (Horst folds: T-block, §5.1.3 b). */
  continuousWalks?: boolean;
}

/** A fitted multinomial logistic regression: preprocessing, weights, and which rows it was trained and tested on. */
export interface LogRegState {
  features: number;
  classes: number;
  classNames: string[];
  channels: string[];
  points: number;
  /** Per-feature mean and SD of the training rows (the preprocessing state). */
  mean: Float32Array;
  sd: Float32Array;
  /** features × classes, row-major. */
  weights: Float32Array;
  bias: Float32Array;
  split: { train: number[]; test: number[] };
  /** The tfjs backend that trained it. */
  backend: string;
  /** Test-set confusion matrix (rows: true class, columns: predicted), in the order of classNames. */
  confusion: number[][];
  /** Test rows per class. */
  counts: number[];
}
