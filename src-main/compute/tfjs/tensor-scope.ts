// A job must leave the tfjs engine as it found it: a worker that trains model after model leaks its way to
// gigabytes otherwise. withTensorScope measures tf.memory().numTensors around a job and reports any difference.
import * as tf from '@tensorflow/tfjs';

export interface TensorScopeReport {
  label: string;
  tensorsBefore: number;
  tensorsAfter: number;
  /** tensorsAfter − tensorsBefore: tensors the job created and neither disposed nor handed back. */
  leaked: number;
  rssBytes: number;
}

export class TensorLeakError extends Error {
  constructor(readonly report: TensorScopeReport) {
    super(`${report.label}: ${report.leaked} tfjs tensor${report.leaked === 1 ? '' : 's'} left behind (${report.tensorsBefore} before, ${report.tensorsAfter} after)`);
    this.name = 'TensorLeakError';
  }
}

export interface TensorScopeOptions {
  /** Called with the report after every job; by default a leak throws TensorLeakError instead. */
  onReport?: (report: TensorScopeReport) => void;
}

/**
 * Runs job (sync or async) and checks that the tensor count is back to its baseline afterwards. The job's result
 * must be plain data (numbers, typed arrays), not tensors: a returned tensor would count as leaked.
 * A job that throws still has its count checked, so the leak is reported alongside the error.
 */
export async function withTensorScope<T>(label: string, job: () => T | Promise<T>, options: TensorScopeOptions = {}): Promise<T> {
  const tensorsBefore = tf.memory().numTensors;
  const check = (): TensorScopeReport => {
    const tensorsAfter = tf.memory().numTensors;
    const report = { label, tensorsBefore, tensorsAfter, leaked: tensorsAfter - tensorsBefore, rssBytes: process.memoryUsage().rss };
    if (options.onReport) options.onReport(report);
    else if (report.leaked !== 0) throw new TensorLeakError(report);
    return report;
  };
  let result: T;
  try {
    result = await job();
  } catch (e) {
    try {
      check();
    } catch (leak) {
      throw new AggregateError([e, leak], `${label} failed and left tensors behind: ${(e as Error).message}`);
    }
    throw e;
  }
  check();
  return result;
}
