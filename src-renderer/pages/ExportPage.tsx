// The cohort export wizard: a filter with a live count of what it selects, the format, optional channels, whether
// identifying fields may leave (off by default, audited when on), and the folder to write; then the files written.
import { useState } from 'react';
import type { ApiResponse } from '../../src-shared/api/schema';
import { call, errorMessage } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { ProgressBar } from '../components/ProgressBar';
import { useDebounced, useLoad } from '../lib/hooks';
import { usePageTitle } from '../lib/page-title';

type Format = 'csv' | 'parquet' | 'hdf5' | 'gaitrec';
const FORMATS: { id: Format; label: string }[] = [
  { id: 'csv', label: 'Tidy CSV (one row per cycle and per parameter)' },
  { id: 'parquet', label: 'Parquet (the same tables)' },
  { id: 'hdf5', label: 'HDF5 (one file; cycles as a 2-D array)' },
  { id: 'gaitrec', label: 'GaitRec CSVs (GRF_<component>_<PRO|RAW>_<side>.csv + metadata)' },
];

export function ExportPage() {
  usePageTitle('Cohort export · GaitLab');
  const [cohort, setCohort] = useState('');
  const [format, setFormat] = useState<Format>('csv');
  const [channels, setChannels] = useState('');
  const [identifying, setIdentifying] = useState(false);
  const [out, setOut] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number; stage: string } | null>(null);
  const [result, setResult] = useState<ApiResponse<'exportCohort'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const filter = useDebounced(cohort, 300);
  const preview = useLoad(() => call('previewCohort', { cohort: filter }), [filter]);
  const run = () => {
    setError(null);
    setResult(null);
    setProgress({ done: 0, total: 1, stage: 'starting' });
    const list = channels.split(',').map((c) => c.trim()).filter(Boolean);
    call('exportCohort', { cohort, format, out, identifying, channels: list.length ? list : undefined }, {
      onEvent: (e) => { if (e.type === 'progress') setProgress({ done: e.progress.done, total: e.progress.total, stage: e.progress.stage }); },
    }).then(setResult, (e: unknown) => setError(errorMessage(e))).finally(() => setProgress(null));
  };
  return (
    <section className="page detail-page" data-testid="export-page">
      <h1>Cohort export</h1>
      <section className="panel">
        <h2>1. Which visits</h2>
        <label className="export-field">Filter
          <input value={cohort} onChange={(e) => setCohort(e.target.value)} placeholder="e.g. cohort=gaitpdb group=PD hy>=2 date>=2020" data-testid="export-filter" size={60} />
        </label>
        <p className="muted">Clauses <code>field op value</code>, all of which must hold: cohort, group, sex, age, date (by prefix), tag, or any attribute (hoehn_yahr or hy, updrs, body_mass …); <code>a|b</code> lists. Empty: everyone.</p>
        {preview.state === 'ready' && (
          <p data-testid="export-preview">
            {preview.value.subjects} subjects, {preview.value.sessions} visits, {preview.value.trials} trials
            {Object.keys(preview.value.groups).length > 0 && ` (${Object.entries(preview.value.groups).map(([g, n]) => `${g} ${n}`).join(', ')})`} — filter read as <code>{preview.value.cohort}</code>
          </p>
        )}
        {preview.state === 'error' && <ErrorBanner message={preview.message} />}
      </section>
      <section className="panel">
        <h2>2. What and how</h2>
        {FORMATS.map((f) => (
          <label key={f.id} className="export-choice"><input type="radio" name="format" checked={format === f.id} onChange={() => setFormat(f.id)} data-testid={`export-format-${f.id}`} /> {f.label}</label>
        ))}
        <label className="export-field">Only these channels (comma-separated, optional)
          <input value={channels} onChange={(e) => setChannels(e.target.value)} placeholder="L_total, R_total" size={40} />
        </label>
        <label className="export-choice">
          <input type="checkbox" checked={identifying} onChange={(e) => setIdentifying(e.target.checked)} data-testid="export-identifying" /> Include identifying fields (names, birth dates, record numbers, contacts, source codes, file names, notes)
        </label>
        {identifying && <p className="export-warning">Identifying data will leave GaitLab. The export is recorded in the audit log with the hash of every file.</p>}
        {!identifying && <p className="muted">Pseudonymised: subjects by GaitLab's random ids, visits and trials numbered.</p>}
      </section>
      <section className="panel">
        <h2>3. Where</h2>
        <label className="export-field">A new folder
          <input value={out} onChange={(e) => setOut(e.target.value)} placeholder="/home/me/exports/pd-cohort" size={60} data-testid="export-out" />
        </label>
        <div><button type="button" onClick={run} disabled={!out || progress !== null || preview.state !== 'ready' || preview.value.sessions === 0} data-testid="export-run">Export</button></div>
        {progress && <ProgressBar label={`Exporting: ${progress.stage}`} fraction={progress.total ? progress.done / progress.total : null} figures={`${progress.done} / ${progress.total} trials`} />}
        {error && <ErrorBanner message={error} />}
        {result && (
          <div data-testid="export-result">
            <p>{result.out}: {result.subjects} subjects, {result.sessions} visits, {result.trials} trials, {result.cycles} cycles, {result.parameters} parameter rows; export {result.exportId} recorded in the audit log.</p>
            <table className="data-table"><thead><tr><th>File</th><th className="num">Bytes</th><th>SHA-256</th></tr></thead>
              <tbody>{result.files.map((f) => <tr key={f.name}><td>{f.name}</td><td className="num">{f.bytes}</td><td><code>{f.sha256.slice(0, 16)}…</code></td></tr>)}</tbody>
            </table>
            {result.leftOut.length > 0 && <ul>{result.leftOut.map((l) => <li key={l}>Left out: {l}</li>)}</ul>}
          </div>
        )}
      </section>
    </section>
  );
}
