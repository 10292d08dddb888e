// Exclude a trial with a reason (kept and flagged, left out of the subject's parameters), or include it again.
import { useState } from 'react';
import { TRIAL_EXCLUDED_KEY } from '../../../src-shared/domain/subject-fields';
import type { TrialSummary } from '../../../src-shared/api/schema';
import { call, errorMessage } from '../../api/client';
import { useApp } from '../../app-context';

export function ExcludeTrial({ trial }: { trial: TrialSummary }) {
  const { dataChanged } = useApp();
  const excluded = trial.attributes[TRIAL_EXCLUDED_KEY]?.value ?? null;
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function send(r: string | null) {
    setError(null);
    try {
      await call('excludeTrial', { trialId: trial.id, reason: r });
      setEditing(false);
      dataChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  if (excluded !== null) {
    return (
      <span className="exclusion">
        <span className="tag warn" title={String(excluded)} data-testid="trial-excluded">excluded: {String(excluded)}</span>
        <button type="button" className="button small quiet" onClick={() => void send(null)}>Include</button>
      </span>
    );
  }
  if (!editing) return <button type="button" className="button small quiet" onClick={() => setEditing(true)} data-testid="exclude-trial">Exclude…</button>;
  return (
    <form className="exclusion" onSubmit={(e) => { e.preventDefault(); void send(reason); }}>
      <input className="text-input" placeholder="Reason" aria-label="Reason for excluding the trial" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="exclude-reason" autoFocus />
      <button type="submit" className="button small" data-testid="exclude-confirm">Exclude</button>
      <button type="button" className="button small quiet" onClick={() => setEditing(false)}>Cancel</button>
      {error && <span className="error-text" role="alert">{error}</span>}
    </form>
  );
}
