// The perturbation plot of a Horst model (methods-spec §1.7, §5.1.9): accuracy against the share of components
// replaced by Gaussian noise (σ = 1, the paper's Fig. 3), in random and in relevance-descending order, with AOPC
// and AOC. Run on request in the quick setting (2 repetitions, 0–9 %), labelled as such; the full analysis is
// `gaitlab perturb <model>`.
import { useState } from 'react';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { call, errorMessage } from '../../api/client';
import { Plot } from '../../plots/Plot';

type Perturbation = ApiResponse<'perturbModel'>['perturbation'];

export function PerturbationPanel({ modelId }: { modelId: string }) {
  const [result, setResult] = useState<Perturbation | null>(null);
  const [state, setState] = useState<'idle' | 'running' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    setState('running');
    call('perturbModel', { modelId, quick: true, noises: ['gauss1'] }).then(
      (r) => { setResult(r.perturbation); setState('idle'); },
      (e: unknown) => { setError(errorMessage(e)); setState('error'); },
    );
  };
  return (
    <section className="panel perturbation-panel" data-testid="perturbation-panel" aria-labelledby="perturbation-title">
      <h3 id="perturbation-title">Robustness: noise perturbation</h3>
      <button type="button" className="button small" onClick={run} disabled={state === 'running'} data-testid="perturb-run">
        {state === 'running' ? 'Perturbing…' : 'Run (quick setting)'}
      </button>
      {state === 'error' && <p className="error" role="alert">{error}</p>}
      {result && (
        <>
          <p data-testid="perturbation-summary">
            {result.setting.label}; {result.trials} test trials; {result.curves.map((c) => `${c.order}: AOPC ${c.aopc.toFixed(2)}, AOC ${c.aoc.toFixed(2)} pp`).join(' · ')}
          </p>
          <Plot
            data={result.curves.map((c) => ({ type: 'scatter', mode: 'lines+markers', name: `${c.noise}, ${c.order}`, x: result.steps, y: c.accuracy.map((a) => a * 100) }))}
            layout={{ height: 320, margin: { l: 50, r: 20, t: 10, b: 40 }, xaxis: { title: { text: '% of components perturbed' } }, yaxis: { title: { text: 'accuracy (%)' } } }}
            ariaLabel="accuracy against the share of perturbed components"
            testId="perturbation-plot"
          />
        </>
      )}
    </section>
  );
}
