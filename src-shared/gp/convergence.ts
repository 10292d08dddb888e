// HG-13b (methods-spec §5.4.5): convergence by window means. Every W iterations the mean of the bound over the
// last W is compared with the previous window's; converged after 3 consecutive checks with
// |B̄_k − B̄_{k−1}| ≤ τ max(|B̄_k|, N_obs) (the floor N_obs guards against a bound near 0).

export class WindowConvergence {
  private values: number[] = [];
  private previousMean = NaN;
  private calm = 0;
  /** Mean of the last complete window, NaN before the first. */
  lastMean = NaN;

  constructor(private readonly window: number, private readonly tolerance: number, private readonly floor: number, private readonly checks = 3) {}

  /** Adds one iteration's bound; true once converged. */
  push(bound: number): boolean {
    this.values.push(bound);
    if (this.values.length % this.window !== 0) return false;
    let s = 0;
    for (let i = this.values.length - this.window; i < this.values.length; i++) s += this.values[i];
    const mean = s / this.window;
    this.calm = Number.isFinite(this.previousMean) && Math.abs(mean - this.previousMean) <= this.tolerance * Math.max(Math.abs(mean), this.floor) ? this.calm + 1 : 0;
    this.previousMean = mean;
    this.lastMean = mean;
    return this.calm >= this.checks;
  }

  /** HG-16: a jitter escalation changes the objective, so the windows start again. */
  reset(): void {
    this.values = [];
    this.previousMean = NaN;
    this.calm = 0;
  }

}
