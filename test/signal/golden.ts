// Loads the scipy golden fixtures written by test/fixtures/signal/make-golden.py and compares arrays to them.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { fixture } from '../helpers';

export interface GoldenDesign {
  order: number; wn: number; b: number[]; a: number[]; sos: number[][]; lfilterZi: number[]; sosfiltZi: number[][];
}
export interface GoldenCase {
  name: string; order: number; wn: number; options: { padlen?: number; padtype?: string | null };
  /** The input, resolved from the fixture's `signals` by the case's `signal` name. */
  input: number[]; filtfilt: number[]; sosfiltfilt: number[];
  source?: { file: string; column: number; rowStart: number; rowEnd: number };
}

export const goldenDesigns = (): GoldenDesign[] => JSON.parse(readFileSync(fixture('signal', 'butterworth-golden.json'), 'utf8')).designs;
export function goldenCases(): GoldenCase[] {
  const doc = JSON.parse(readFileSync(fixture('signal', 'filtfilt-golden.json'), 'utf8'));
  return doc.cases.map((c: GoldenCase & { signal: string }) => ({ ...c, input: doc.signals[c.signal] }));
}

/** Largest |got − expected| relative to max |expected| (the scale of the signal), for reports. */
export function maxRelativeError(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(got.length, expected.length, 'length');
  let scale = 0, worst = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(got[i] - expected[i]));
  return scale === 0 ? worst : worst / scale;
}

/**
 * Every element within `rel` of its own magnitude (coefficients span many decades: each is checked on its own);
 * coefficients that are zero in exact arithmetic come out as ±1e-16 rounding, so a floor of 1e-14 × the largest.
 */
export function assertElementwiseClose(got: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  assert.equal(got.length, expected.length, `${what}: length`);
  let largest = 0;
  for (let i = 0; i < expected.length; i++) largest = Math.max(largest, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const tol = rel * Math.abs(expected[i]) + 1e-14 * largest;
    assert.ok(Math.abs(got[i] - expected[i]) <= tol, `${what}[${i}]: got ${got[i]}, scipy ${expected[i]} (|Δ| = ${Math.abs(got[i] - expected[i])})`);
  }
}
