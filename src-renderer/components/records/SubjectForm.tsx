// The "New subject" and "Edit subject" forms: identity apart from the pseudonymised attributes, each measure
// with its unit and plausible range (the same table the service checks, src-shared/domain/subject-fields.ts).
import { useState } from 'react';
import type { SubjectRecordDto } from '../../../src-shared/api/records';
import { SUBJECT_FIELDS, type NumericField } from '../../../src-shared/domain/subject-fields';
import { call, errorMessage, type ApiRequest } from '../../api/client';
import { useApp } from '../../app-context';
import { hrefSubject, navigate } from '../../lib/route';
import { Field, RecordDialog } from './RecordDialog';

const MEASURES = ['body_mass', 'height', 'leg_length'] as const;
const SCORES = ['hoehn_yahr', 'updrs', 'edss', 'gmfcs'] as const;
const IDENTITY: [string, string, string][] = [
  ['display_name', 'Name', 'text'], ['record_number', 'Record number', 'text'], ['birth_date', 'Birth date', 'date'], ['contact', 'Contact', 'text'], ['notes', 'Notes', 'text'],
];

type Values = Record<string, string>;

function initialValues(s: SubjectRecordDto | null): Values {
  if (!s) return { sex: '', affected_side: '' };
  const v: Values = { code: s.code, group: s.group ?? '', sex: s.sex ?? '' };
  for (const [k, val] of Object.entries(s.identity)) v[`id:${k}`] = val ?? '';
  for (const [k, a] of Object.entries(s.attributes)) {
    v[k] = a.value === null ? '' : String(a.value);
    if (a.takenOn) v[`taken:${k}`] = a.takenOn;
  }
  return v;
}

const rangeHint = (f: NumericField) => `${f.min}–${f.max} ${f.unit}`;

/** `subject` null: a new subject. */
export function SubjectForm({ subject, onClose }: { subject: SubjectRecordDto | null; onClose(): void }) {
  const { dataChanged } = useApp();
  const [values, setValues] = useState<Values>(() => initialValues(subject));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const before = initialValues(subject);

  async function save() {
    const req: ApiRequest<'createSubject'> = {};
    const changed = (k: string) => (values[k] ?? '') !== (before[k] ?? '');
    if (changed('code') && values.code?.trim()) req.code = values.code.trim();
    if (changed('group')) req.group = values.group?.trim() || null;
    if (changed('sex')) req.sex = (values.sex || null) as 'male' | 'female' | null;
    const identity: Record<string, string | null> = {};
    for (const [k] of IDENTITY) if (changed(`id:${k}`)) identity[k] = values[`id:${k}`]?.trim() || null;
    if (Object.keys(identity).length) req.identity = identity;
    const attributes: NonNullable<ApiRequest<'createSubject'>['attributes']> = {};
    for (const k of [...MEASURES, ...SCORES, 'diagnosis', 'affected_side']) {
      if (!changed(k) && !changed(`taken:${k}`)) continue;
      const raw = values[k]?.trim() ?? '';
      const f = SUBJECT_FIELDS[k];
      attributes[k] = raw === '' ? null : { value: f.kind === 'number' && raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw, takenOn: values[`taken:${k}`] || null };
    }
    if (Object.keys(attributes).length) req.attributes = attributes;
    setBusy(true);
    setError(null);
    try {
      const r = subject ? await call('editSubject', { id: subject.id, ...req }) : await call('createSubject', req);
      dataChanged();
      onClose();
      if (!subject) navigate(hrefSubject(r.subject.id));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <RecordDialog title={subject ? `Edit ${subject.code}` : 'New subject'} testId="subject-form" error={error} busy={busy}
      submitLabel={subject ? 'Save' : 'Create subject'} onSubmit={() => void save()} onClose={onClose}>
      <fieldset>
        <legend>Record</legend>
        <Field label="Code" hint="the lab's code, not a name; empty: the pseudonym">
          <input className="text-input" value={values.code ?? ''} onChange={set('code')} data-testid="field-code" />
        </Field>
        <Field label="Group"><input className="text-input" value={values.group ?? ''} onChange={set('group')} data-testid="field-group" /></Field>
        <Field label="Sex">
          <select className="select" value={values.sex ?? ''} onChange={set('sex')} data-testid="field-sex">
            <option value="">—</option><option value="female">female</option><option value="male">male</option>
          </select>
        </Field>
      </fieldset>
      <fieldset>
        <legend>Identity <span className="muted">(kept apart, never in the audit log or exports)</span></legend>
        {IDENTITY.map(([k, label, type]) => (
          <Field key={k} label={label}><input className="text-input" type={type} value={values[`id:${k}`] ?? ''} onChange={set(`id:${k}`)} data-testid={`field-${k}`} /></Field>
        ))}
      </fieldset>
      <fieldset>
        <legend>Measures and scores</legend>
        {MEASURES.map((k) => {
          const f = SUBJECT_FIELDS[k] as NumericField;
          return (
            <Field key={k} label={f.label} unit={f.unit} hint={rangeHint(f)}>
              <input className="text-input numeric" inputMode="decimal" value={values[k] ?? ''} onChange={set(k)} data-testid={`field-${k}`} />
            </Field>
          );
        })}
        {SCORES.map((k) => {
          const f = SUBJECT_FIELDS[k] as NumericField;
          return (
            <Field key={k} label={f.label} unit={f.unit} hint={rangeHint(f)}>
              <input className="text-input numeric" inputMode="decimal" value={values[k] ?? ''} onChange={set(k)} data-testid={`field-${k}`} />
              <input className="text-input" type="date" aria-label={`${f.label} taken on`} value={values[`taken:${k}`] ?? ''} onChange={set(`taken:${k}`)} />
            </Field>
          );
        })}
        <Field label="Diagnosis"><input className="text-input" value={values.diagnosis ?? ''} onChange={set('diagnosis')} data-testid="field-diagnosis" /></Field>
        <Field label="Affected side">
          <select className="select" value={values.affected_side ?? ''} onChange={set('affected_side')} data-testid="field-affected_side">
            <option value="">—</option>{['left', 'right', 'both', 'none'].map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </Field>
      </fieldset>
    </RecordDialog>
  );
}
