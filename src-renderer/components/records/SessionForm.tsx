// The session (visit) editor: date, conditions, assessor, notes and tags; a new visit for a subject or an edit.
import { useState } from 'react';
import type { SessionSummary } from '../../../src-shared/api/schema';
import { SESSION_FIELDS, SESSION_TAGS_KEY } from '../../../src-shared/domain/subject-fields';
import { call, errorMessage } from '../../api/client';
import { useApp } from '../../app-context';
import { Field, RecordDialog } from './RecordDialog';

function tagsOf(s: SessionSummary | null): string {
  const raw = s?.attributes[SESSION_TAGS_KEY]?.value;
  try {
    return typeof raw === 'string' ? (JSON.parse(raw) as string[]).join(', ') : '';
  } catch {
    return '';
  }
}

export function SessionForm({ subjectId, session, onClose }: { subjectId: string; session: SessionSummary | null; onClose(): void }) {
  const { dataChanged } = useApp();
  const initial: Record<string, string> = {
    label: session?.label ?? '', date: session?.date ?? '', condition: session?.condition ?? '', tags: tagsOf(session),
    ...Object.fromEntries(Object.keys(SESSION_FIELDS).map((k) => [k, String(session?.attributes[k]?.value ?? '')])),
  };
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  async function save() {
    const changed = (k: string) => values[k] !== initial[k];
    const fields: Record<string, string | null> = {};
    for (const k of Object.keys(SESSION_FIELDS)) if (changed(k)) fields[k] = values[k].trim() || null;
    const body = {
      ...(changed('label') || !session ? { label: values.label } : {}),
      ...(changed('date') ? { date: values.date || null } : {}),
      ...(changed('condition') ? { condition: values.condition || null } : {}),
      ...(Object.keys(fields).length ? { fields } : {}),
      ...(changed('tags') ? { tags: values.tags.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      if (session) await call('editSession', { id: session.id, ...body });
      else await call('createSession', { subjectId, ...body });
      dataChanged();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <RecordDialog title={session ? `Edit session ${session.label}` : 'New session'} testId="session-form" error={error} busy={busy}
      submitLabel={session ? 'Save' : 'Create session'} onSubmit={() => void save()} onClose={onClose}>
      <Field label="Label"><input className="text-input" value={values.label} onChange={set('label')} data-testid="session-label" /></Field>
      <Field label="Date"><input className="text-input" type="date" value={values.date} onChange={set('date')} data-testid="session-date" /></Field>
      <Field label="Condition"><input className="text-input" value={values.condition} onChange={set('condition')} /></Field>
      {Object.entries(SESSION_FIELDS).map(([k, f]) => (
        <Field key={k} label={f.label}>
          <input className="text-input" value={values[k]} onChange={set(k)} list={f.kind === 'choice' ? `choices-${k}` : undefined} data-testid={`session-${k}`} />
          {f.kind === 'choice' && <datalist id={`choices-${k}`}>{f.choices.map((c) => <option key={c} value={c} />)}</datalist>}
        </Field>
      ))}
      <Field label="Tags" hint="separated by commas"><input className="text-input" value={values.tags} onChange={set('tags')} data-testid="session-tags" /></Field>
    </RecordDialog>
  );
}
