// An issued report on screen: the same model and the same figures as its HTML and PDF files.
import type { Data, Layout } from 'plotly.js-dist-min';
import { curveFigure, parameterFigure, type PlotSpec } from '../../../src-shared/report/figures';
import type { ReportModel } from '../../../src-shared/report/model';
import type { ReportRelevance } from '../../../src-shared/report/relevance';
import { drawnRelevancePanels, relevanceFigure } from '../../../src-shared/report/relevance-figure';
import { Plot } from '../../plots/Plot';
import { SincEvidenceView } from './SincEvidenceView';

const fmt = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v.toPrecision(4)).toString());

function Figure({ spec, label, testId }: { spec: PlotSpec; label: string; testId?: string }) {
  return <Plot data={spec.data as Data[]} layout={spec.layout as Partial<Layout>} config={{ displaylogo: false, responsive: true }} ariaLabel={label} testId={testId} />;
}

export function ReportView({ id, report }: { id: string; report: ReportModel }) {
  const q = report.quality;
  const params = parameterFigure(report.parameters);
  const comparedVisit = report.curves.find((c) => c.compare)?.compare?.visit;
  return (
    <article className="report" data-testid="report-view">
      <header>
        <h1>{report.title}</h1>
        <p className="muted">Report {id} · issued {report.provenance.createdAt.slice(0, 19).replace('T', ' ')} UTC · GaitLab {report.provenance.gaitlabVersion}</p>
      </header>
      <section className="panel">
        <h2>Subject and visit</h2>
        <dl className="report-grid">
          <dt>Pseudonym</dt><dd>{report.subject.id}</dd>
          <dt>Cohort / group</dt><dd>{report.subject.cohort} / {report.subject.group ?? '—'}</dd>
          <dt>Sex</dt><dd>{report.subject.sex ?? '—'}</dd>
          <dt>Visit</dt><dd>{report.visit.label}{report.visit.date ? ` (${report.visit.date})` : ''}</dd>
          {report.compare && (<><dt>Compared with</dt><dd>{report.compare.label}{report.compare.date ? ` (${report.compare.date})` : ''}</dd></>)}
          {report.subject.attributes.map((a) => (<span key={a.key} className="report-pair"><dt>{a.label}</dt><dd>{String(a.value)}{a.unit ? ` ${a.unit}` : ''}</dd></span>))}
        </dl>
      </section>
      <section className="panel">
        <h2>Data quality</h2>
        <p data-testid="report-quality">
          {q.trialsUsed} of {q.trials} trials used; strides {q.strides.left} left, {q.strides.right} right ({q.strides.flagged} flagged); gait cycles {q.cyclesUsed} used, {q.cyclesExcluded} excluded
          {Object.keys(q.exclusionReasons).length > 0 && ` (${Object.entries(q.exclusionReasons).map(([k, n]) => `${k.replace(/_/g, ' ')} ${n}`).join(', ')})`}.
        </p>
      </section>
      <section className="panel">
        <h2>Spatiotemporal parameters</h2>
        <p className="muted">Reference: {report.reference?.description ?? 'none — no reference group with computed parameters in this cohort'}.</p>
        <table className="data-table" data-testid="report-parameters">
          <thead><tr><th>Parameter</th><th>Side</th><th className="num">Mean</th><th className="num">SD</th><th>Unit</th><th className="num">Normal range</th>{report.compare && <th className="num">Compared visit</th>}<th className="num">Strides</th></tr></thead>
          <tbody>
            {report.parameters.map((p) => (
              <tr key={`${p.name}-${p.side}`} className={p.outside ? 'report-outside' : undefined}>
                <td>{p.label}</td><td>{p.side ?? 'both'}</td>
                <td className="num">{fmt(p.mean)}{p.outside && <span className="report-flag" title={`${p.outside} compared with the reference`}>{p.outside === 'low' ? ' ▼' : ' ▲'}</span>}</td>
                <td className="num">{fmt(p.sd)}</td><td>{p.unit}</td>
                <td className="num">{p.normal ? `${fmt(p.normal.low)}–${fmt(p.normal.high)}` : '—'}</td>
                {report.compare && <td className="num">{fmt(p.compare)}</td>}
                <td className="num">{p.n}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {params && <Figure spec={params} label="Parameters within their normal ranges" />}
      </section>
      <section className="panel">
        <h2>Gait curves</h2>
        {comparedVisit && <p className="muted" data-testid="report-compared-visit">Dashed: the compared visit, {comparedVisit}.</p>}
        <div className="report-curves">
          {report.curves.map((c) => <Figure key={c.title} spec={curveFigure(c)} label={`${c.title} per side over the reference band`} testId="report-curve" />)}
          {report.curves.length === 0 && <p className="muted">No gait cycles.</p>}
        </div>
      </section>
      <section className="panel">
        <h2>Explaining methods</h2>
        {report.methods.map((m) => (
          <div key={m.id} className={`report-method ${m.status}`} data-testid="report-method">
            <div className="report-status">{m.status.replace('-', ' ')}</div>
            <strong>{m.title}</strong>
            <p>{m.summary}</p>
            {m.howToRun && <p>To compute it: <code>{m.howToRun}</code></p>}
            {m.sincEvidence && <SincEvidenceView evidence={m.sincEvidence} sectionHowToRun={m.howToRun} />}
            {m.relevance && <RelevanceCurves rel={m.relevance} />}
          </div>
        ))}
      </section>
      <section className="panel">
        <h2>Provenance</h2>
        <p className="muted">GaitLab {report.provenance.gaitlabVersion}, database schema {report.provenance.schemaVersion}, event detector {report.provenance.detector ?? '—'}; {report.provenance.runs.length} method runs on {report.provenance.trials.length} trials.</p>
      </section>
      <p className="report-disclaimer">{report.disclaimer}</p>
    </article>
  );
}

/** The relevance map coloured onto the subject's mean curves: the channels that carried the most relevance. */
function RelevanceCurves({ rel }: { rel: ReportRelevance }) {
  const drawn = drawnRelevancePanels(rel);
  return (
    <>
      <p className="muted">
        Relevance coloured onto the subject&apos;s mean curves ({rel.inputs.kind}: {rel.inputs.n}); red → yellow supports {rel.truth}, blue → cyan speaks against it, black ≈ 0
        (scale ±{fmt(rel.scale)}). The {drawn.length} of {rel.panels.length} channels with the most relevance:
      </p>
      <div className="report-curves">
        {drawn.map((p) => <Figure key={p.channel} spec={relevanceFigure(p, rel)} label={`${p.channel}: relevance over the mean curve`} testId="report-relevance" />)}
      </div>
    </>
  );
}
