// Delete on request: the dialog asks the service what would go (a dry run) and says it in full before
// anything is deleted: the identity only, or the subject with everything that goes with it, and what stays.
import { useEffect, useState } from 'react';
import { call, errorMessage, type ApiResponse } from '../../api/client';
import { useApp } from '../../app-context';
import { hrefSubjects, navigate } from '../../lib/route';
import { keptItems, removedItems } from '../../../src-shared/domain/deletion-plan';
import { RecordDialog } from './RecordDialog';

type Plan = ApiResponse<'deleteSubject'>['plan'];

export function describePlan(p: Plan, code: string): string {
  if (p.scope === 'identity') {
    return `Removes the identity of ${code} (${p.identityFields.length ? p.identityFields.join(', ') : 'no identity fields are set'}) and replaces its code by the pseudonym ${p.subjectId}. Its sessions, trials and attributes stay, pseudonymised.`;
  }
  const kept = keptItems(p);
  return `Removes ${code} (${p.subjectId}) with its identity, ${removedItems(p)}.${kept ? ` Stays: ${kept}.` : ''} This cannot be undone.`;
}

export function DeleteSubjectDialog({ subjectId, code, onClose }: { subjectId: string; code: string; onClose(): void }) {
  const { dataChanged } = useApp();
  const [scope, setScope] = useState<'identity' | 'all'>('identity');
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    setPlan(null);
    call('deleteSubject', { id: subjectId, scope, dryRun: true }).then((r) => current && setPlan(r.plan), (e: unknown) => current && setError(errorMessage(e)));
    return () => { current = false; };
  }, [subjectId, scope]);

  async function confirm() {
    setBusy(true);
    try {
      await call('deleteSubject', { id: subjectId, scope });
      dataChanged();
      onClose();
      if (scope === 'all') navigate(hrefSubjects);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <RecordDialog title={`Delete ${code} on request`} testId="delete-dialog" error={error} busy={busy || !plan} danger
      submitLabel={scope === 'all' ? 'Delete everything' : 'Delete the identity'} onSubmit={() => void confirm()} onClose={onClose}>
      <fieldset className="radio-row">
        <label><input type="radio" name="scope" checked={scope === 'identity'} onChange={() => setScope('identity')} data-testid="delete-identity" /> Only the identity (keep research data)</label>
        <label><input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} data-testid="delete-all" /> Everything</label>
      </fieldset>
      <p className="delete-plan" data-testid="delete-plan">{plan ? describePlan(plan, code) : 'Counting what would be removed…'}</p>
    </RecordDialog>
  );
}
