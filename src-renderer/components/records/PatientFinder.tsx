// The lab's patient search: by record number (exact) or by name. Identity is shown only here and on the
// subject's own page, never in the pseudonymised list.
import { useState } from 'react';
import { call, errorMessage, type ApiResponse } from '../../api/client';
import { hrefSubject } from '../../lib/route';

export function PatientFinder() {
  const [text, setText] = useState('');
  const [found, setFound] = useState<ApiResponse<'findSubjects'>['subjects'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function find() {
    const t = text.trim();
    if (!t) return;
    setError(null);
    try {
      const byNumber = await call('findSubjects', { recordNumber: t });
      setFound(byNumber.subjects.length ? byNumber.subjects : (await call('findSubjects', { name: t })).subjects);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <form className="patient-finder" onSubmit={(e) => { e.preventDefault(); void find(); }}>
      <input className="text-input" placeholder="Record number or name…" aria-label="Find a patient by record number or name" value={text}
        onChange={(e) => { setText(e.target.value); setFound(null); }} data-testid="patient-find" />
      <button type="submit" className="button small">Find patient</button>
      {error && <span className="error-text" role="alert">{error}</span>}
      {found && (
        <span className="patient-results" data-testid="patient-results">
          {found.length === 0 ? 'no patient' : found.map((p) => (
            <a key={p.id} href={hrefSubject(p.id)} className="tag">{p.displayName ?? p.code} · {p.recordNumber ?? '—'} · {p.code}</a>
          ))}
        </span>
      )}
    </form>
  );
}
