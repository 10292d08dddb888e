// Merge a subject into another, and move a session to another subject: the target named by its code or
// pseudonym; a merge lists the conflicting fields first and each is chosen before anything moves.
import { useState } from 'react';
import { call, errorMessage, type ApiResponse } from '../../api/client';
import { useApp } from '../../app-context';
import { hrefSubject, navigate } from '../../lib/route';
import { Field, RecordDialog } from './RecordDialog';

async function resolveTarget(text: string): Promise<string> {
  const t = text.trim();
  if (/^S-[0-9A-Z]{8}$/.test(t)) return t;
  const r = await call('listSubjects', { search: t, limit: 1000 });
  const exact = r.subjects.filter((s) => s.code === t);
  if (exact.length !== 1) throw new Error(exact.length ? `code ${t} is used in several cohorts: give the pseudonym (S-…)` : `no subject ${t}`);
  return exact[0].id;
}

type Conflict = ApiResponse<'mergeSubjects'>['conflicts'][number];

export function MergeDialog({ sourceId, code, onClose }: { sourceId: string; code: string; onClose(): void }) {
  const { dataChanged } = useApp();
  const [target, setTarget] = useState('');
  const [conflicts, setConflicts] = useState<Conflict[] | null>(null);
  const [take, setTake] = useState<Record<string, 'source' | 'target'>>({});
  const [sessionsMoving, setSessionsMoving] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const targetId = await resolveTarget(target);
      if (conflicts === null) {
        const dry = await call('mergeSubjects', { sourceId, targetId, dryRun: true });
        // Shown before anything moves: the merge is confirmed with a second click.
        setConflicts(dry.conflicts);
        setSessionsMoving(dry.sessionsMoved);
        return;
      }
      const r = await call('mergeSubjects', { sourceId, targetId, take });
      dataChanged();
      onClose();
      navigate(hrefSubject(r.subjectId));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <RecordDialog title={`Merge ${code} into another subject`} testId="merge-dialog" error={error} busy={busy}
      submitLabel={conflicts === null ? 'Check' : 'Merge'} onSubmit={() => void submit()} onClose={onClose}>
      <p className="muted">The sessions of {code} move to the subject that stays; {code} is then removed. The pseudonym of the subject that stays does not change.</p>
      <Field label="Merge into (code or S-…)">
        <input className="text-input" value={target} onChange={(e) => { setTarget(e.target.value); setConflicts(null); setTake({}); }} data-testid="merge-target" />
      </Field>
      {conflicts && <p data-testid="merge-moves">{sessionsMoving === 1 ? '1 session moves' : `${sessionsMoving} sessions move`}.</p>}
      {conflicts && conflicts.length === 0 && <p data-testid="merge-conflicts">No conflicting fields.</p>}
      {conflicts && conflicts.length > 0 && (
        <table className="data-table" data-testid="merge-conflicts">
          <thead><tr><th scope="col">Field</th><th scope="col">{code}</th><th scope="col">Subject that stays</th></tr></thead>
          <tbody>
            {conflicts.map((c) => (
              <tr key={c.field}>
                <th scope="row">{c.field}</th>
                {(['source', 'target'] as const).map((side) => (
                  <td key={side}>
                    <label><input type="radio" name={`take-${c.field}`} checked={take[c.field] === side} onChange={() => setTake((t) => ({ ...t, [c.field]: side }))} data-testid={`take-${c.field}-${side}`} /> {c.identity ? '(identity)' : c[side]}</label>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </RecordDialog>
  );
}

export function MoveSessionDialog({ sessionId, label, onClose }: { sessionId: string; label: string; onClose(): void }) {
  const { dataChanged } = useApp();
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const subjectId = await resolveTarget(target);
      await call('moveSession', { sessionId, subjectId });
      dataChanged();
      onClose();
      navigate(hrefSubject(subjectId));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <RecordDialog title={`Move session ${label}`} testId="move-dialog" error={error} busy={busy} submitLabel="Move" onSubmit={() => void submit()} onClose={onClose}>
      <Field label="To subject (code or S-…)"><input className="text-input" value={target} onChange={(e) => setTarget(e.target.value)} data-testid="move-target" /></Field>
    </RecordDialog>
  );
}

/** Moves a trial into another session: of this subject, or of the subject named by code or pseudonym. */
export function MoveTrialDialog({ trialId, label, subjectId, onClose }: { trialId: string; label: string; subjectId: string; onClose(): void }) {
  const { dataChanged } = useApp();
  const [target, setTarget] = useState('');
  const [sessions, setSessions] = useState<{ id: string; label: string }[] | null>(null);
  const [sessionId, setSessionId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit() {
    setBusy(true);
    setError(null);
    try {
      if (sessions === null) {
        const id = target.trim() ? await resolveTarget(target) : subjectId;
        const s = await call('getSubject', { id });
        setSessions(s.sessions.map((x) => ({ id: x.id, label: x.label })));
        setSessionId(s.sessions[0]?.id ?? '');
        return;
      }
      await call('moveTrial', { trialId, sessionId });
      dataChanged();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <RecordDialog title={`Move trial ${label}`} testId="move-trial-dialog" error={error} busy={busy} submitLabel={sessions === null ? 'Show sessions' : 'Move'} onSubmit={() => void submit()} onClose={onClose}>
      <Field label="Subject (code or S-…)" hint="empty: this subject">
        <input className="text-input" value={target} onChange={(e) => { setTarget(e.target.value); setSessions(null); }} data-testid="move-trial-subject" />
      </Field>
      {sessions && (
        <Field label="Session">
          <select className="select" value={sessionId} onChange={(e) => setSessionId(e.target.value)} data-testid="move-trial-session">
            {sessions.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
          </select>
        </Field>
      )}
    </RecordDialog>
  );
}
