import { useMemo, useState } from 'react';
import type { GaitGraphDto, GaitGraphPanel } from '../../src-shared/api/references';
import { call } from '../api/client';
import { useApp } from '../app-context';
import { ErrorBanner } from '../components/ErrorBanner';
import { useLoad } from '../lib/hooks';
import { usePageTitle } from '../lib/page-title';
import { hrefChannelCycles, hrefSubject, hrefTrial, navigate } from '../lib/route';
import { buildGaitPanelFigure, buildMapFigure } from '../plots/gait-graph-figure';
import { Plot } from '../plots/Plot';

type Scope = { trialId: string } | { subjectId: string };
const COLUMNS = ['sagittal', 'frontal', 'transverse'] as const;

/**
 * The clinical gait graph of a trial or of all a subject's trials: rows pelvis → foot progression (and a kinetics
 * sheet), columns sagittal / frontal / transverse, left and right over the chosen reference band, and the MAP/GPS.
 * Everything comes from one gaitGraph call; a panel without cycles is drawn empty with its channel names.
 */
export function GaitGraphPage({ scope }: { scope: Scope }) {
  const { dataVersion } = useApp();
  const [referenceId, setReferenceId] = useState<string>('');
  const [sheetKey, setSheetKey] = useState('kinematics');
  const [individual, setIndividual] = useState(false);
  const [sessionId, setSessionId] = useState('');
  const scopeKey = 'trialId' in scope ? scope.trialId : scope.subjectId;
  const references = useLoad(() => call('listReferences', {}), [dataVersion]);
  // A subject's graph covers all its sessions, or one visit.
  const sessions = useLoad(
    () => ('subjectId' in scope ? call('getSubject', { id: scope.subjectId }).then((s) => s.sessions) : Promise.resolve([])),
    [scopeKey, dataVersion],
  );
  const graph = useLoad(
    () => call('gaitGraph', { ...scope, ...(sessionId ? { sessionId } : {}), reference: referenceId ? { id: referenceId } : undefined, individualCycles: individual }),
    [scopeKey, sessionId, referenceId, individual, dataVersion],
  );
  usePageTitle('Gait graph · GaitLab');
  const back = 'trialId' in scope ? hrefTrial(scope.trialId) : hrefSubject(scope.subjectId);

  return (
    <section className="page detail-page gait-graph-page" data-testid="gait-graph-page" aria-labelledby="gait-graph-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={back}>← {'trialId' in scope ? 'Trial' : 'Subject'}</a>
      </nav>
      <header className="detail-head">
        <h1 id="gait-graph-title" tabIndex={-1}>Gait graph</h1>
        <div className="gait-graph-toolbar">
          <label className="select-label">
            Reference
            <select className="select" value={referenceId} onChange={(e) => setReferenceId(e.target.value)} data-testid="reference-select">
              <option value="">None</option>
              {references.state === 'ready' && references.value.references.map((r) => (
                <option key={r.id} value={r.id}>{`${r.name} v${r.version} (${r.nSubjects} subjects)`}</option>
              ))}
            </select>
          </label>
          {sessions.state === 'ready' && sessions.value.length > 1 && (
            <label className="select-label">
              Session
              <select className="select" value={sessionId} onChange={(e) => setSessionId(e.target.value)} data-testid="session-select">
                <option value="">All sessions</option>
                {sessions.value.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
              </select>
            </label>
          )}
          <label className="check-label">
            <input type="checkbox" checked={individual} onChange={(e) => setIndividual(e.target.checked)} data-testid="individual-cycles" /> Individual cycles
          </label>
        </div>
      </header>
      {graph.state === 'loading' && <p className="page-loading">Loading the gait graph…</p>}
      {graph.state === 'error' && <ErrorBanner message={graph.message} />}
      {graph.state === 'ready' && <GaitGraphSheets graph={graph.value} scope={scope} sheetKey={sheetKey} onSheet={setSheetKey} />}
    </section>
  );
}

function GaitGraphSheets({ graph, scope, sheetKey, onSheet }: { graph: GaitGraphDto; scope: Scope; sheetKey: string; onSheet: (key: string) => void }) {
  const sheet = graph.sheets.find((s) => s.key === sheetKey) ?? graph.sheets[0];
  const filled = sheet.panels.filter((p) => p.left || p.right).length;
  const unitNote = sheet.panels.find((p) => p.unitNote)?.unitNote;
  return (
    <>
      <p className="muted" data-testid="gait-graph-summary">
        {graph.trials.length} trial(s); {filled} of {sheet.panels.length} panels with cycles.{' '}
        {graph.reference ? `Reference: ${graph.reference.name} v${graph.reference.version} (${graph.reference.nSubjects} subjects, ${graph.reference.method}).` : 'No reference chosen.'}
        {graph.unextracted.length > 0 && ` ${graph.unextracted.length} trial(s) without cycles yet. `}
        {graph.unextracted.length > 0 && <ExtractButton trialIds={graph.unextracted} />}
        {unitNote && ` Kinetics: ${unitNote}.`}
      </p>
      <div className="tabs" role="tablist">
        {graph.sheets.map((s) => (
          <button key={s.key} type="button" role="tab" aria-selected={s.key === sheet.key} className={`button small${s.key === sheet.key ? ' active' : ''}`} onClick={() => onSheet(s.key)} data-testid={`sheet-${s.key}`}>
            {s.label}
          </button>
        ))}
      </div>
      <div className="gait-graph-grid" data-testid="gait-graph-grid" style={{ display: 'grid', gridTemplateColumns: 'max-content repeat(3, minmax(0, 1fr))', gap: '6px', alignItems: 'center' }}>
        <div />
        {COLUMNS.map((c) => <div key={c} className="gait-graph-column-head muted">{c[0].toUpperCase() + c.slice(1)}</div>)}
        {sheet.rows.map((row) => (
          <Row key={row.key} label={row.label} panels={sheet.panels.filter((p) => p.row === row.key)} scope={scope} />
        ))}
      </div>
      {graph.gps && (
        <section className="panel" aria-labelledby="map-title" data-testid="map-chart">
          <h2 id="map-title">Movement Analysis Profile and Gait Profile Score</h2>
          <p className="muted small">
            GPS left {fmt(graph.gps.gps.left)}, right {fmt(graph.gps.gps.right)}, overall {fmt(graph.gps.overall)}
            {graph.gps.missing.length > 0 && ` · missing: ${graph.gps.missing.join(', ')}`}
          </p>
          {graph.gps.map.length > 0 && <MapChart gps={graph.gps} />}
        </section>
      )}
    </>
  );
}

/** The explicit extraction a first view makes (events detected first where none were); the page then reloads. */
function ExtractButton({ trialIds }: { trialIds: string[] }) {
  const { dataChanged } = useApp();
  const [state, setState] = useState<'idle' | 'busy' | 'error'>('idle');
  const extract = async () => {
    setState('busy');
    try {
      for (const trialId of trialIds) await call('extractCycles', { trialId });
      dataChanged();
    } catch {
      setState('error');
    }
  };
  return (
    <button type="button" className="button small" disabled={state === 'busy'} onClick={() => void extract()} data-testid="extract-cycles">
      {state === 'busy' ? 'Extracting…' : state === 'error' ? 'Extraction failed: retry' : 'Extract cycles'}
    </button>
  );
}

const fmt = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}°`);

function MapChart({ gps }: { gps: NonNullable<GaitGraphDto['gps']> }) {
  const figure = useMemo(() => buildMapFigure(gps), [gps]);
  return <Plot data={figure.data} layout={figure.layout} config={figure.config} ariaLabel="Movement Analysis Profile" />;
}

function Row({ label, panels, scope }: { label: string; panels: GaitGraphPanel[]; scope: Scope }) {
  return (
    <>
      <div className="gait-graph-row-head">{label}</div>
      {COLUMNS.map((c) => {
        const p = panels.find((x) => x.column === c);
        return p ? <Panel key={c} panel={p} scope={scope} /> : <div key={c} />;
      })}
    </>
  );
}

function Panel({ panel, scope }: { panel: GaitGraphPanel; scope: Scope }) {
  const figure = useMemo(() => buildGaitPanelFigure(panel), [panel]);
  const hasData = !!(panel.left || panel.right);
  const hasReference = !!(panel.reference.left || panel.reference.right);
  const footOff = (['left', 'right'] as const).filter((s) => panel[s]?.footOffPct != null).join(',');
  const channel = panel.left?.channel ?? panel.right?.channel ?? panel.channels.left;
  const open = () => navigate(hrefChannelCycles(scope, channel));
  return (
    <div
      className={`gait-panel${hasData ? '' : ' gait-panel-empty'}`}
      data-testid={`gait-panel-${panel.row}-${panel.column}`}
      data-has-data={hasData ? 'yes' : 'no'}
      data-reference={hasReference ? 'yes' : 'no'}
      data-foot-off={footOff}
      title={`${panel.channels.left} / ${panel.channels.right}: open the cycles`}
      role="link"
      tabIndex={0}
      onClick={open}
      onKeyDown={(e) => { if (e.key === 'Enter') open(); }}
      style={{ cursor: 'pointer', minHeight: 120, border: '1px solid #e3e7ec', borderRadius: 4 }}
    >
      {hasData || hasReference ? (
        <Plot data={figure.data} layout={figure.layout} config={figure.config} ariaLabel={panel.title} />
      ) : (
        <div className="gait-panel-placeholder muted small" style={{ padding: 8 }}>
          <strong>{panel.title}</strong>
          <br />
          {panel.channels.left} / {panel.channels.right}: no cycles
        </div>
      )}
    </div>
  );
}
