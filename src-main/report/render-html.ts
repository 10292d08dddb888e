// The report as one self-contained HTML file: inline CSS, inline plotly.js and the figures as JSON, so it opens
// offline with interactive plots, and prints (headless Chromium) to the PDF. Every text from the database is
// escaped; the page loads nothing from anywhere and a Content-Security-Policy says so.
import { readFileSync } from 'node:fs';
import type { ReportModel, SincEvidence } from '../../src-shared/report/model';
import { curveFigure, parameterFigure, sincSensorFigure, type PlotSpec } from '../../src-shared/report/figures';
import { escapeHtml } from '../../src-shared/text/escape';
import type { ReportRelevance } from '../../src-shared/report/relevance';
import { drawnRelevancePanels, relevanceFigure } from '../../src-shared/report/relevance-figure';

let plotlySource: string | null = null;
function plotly(): string {
  plotlySource ??= readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');
  return plotlySource;
}

const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v.toPrecision(digits + 1)).toString());
// A record id (S-7KQ2M9XC) is one word to a reader and to a search: the line never breaks at its hyphen.
const RECORD_ID = /\b[A-Z]{1,2}-[0-9A-Z]{8}\b/g;
/** Text from the report as HTML content: escaped, with every record id kept on one line. */
const h = (text: string) => escapeHtml(text).replace(RECORD_ID, '<span class="id">$&</span>');
const side = (s: string | null) => (s === null ? 'both' : s);

const CSS = `
body{font:12px/1.45 system-ui,"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif;color:#1d2733;margin:24px auto;max-width:1000px;padding:0 16px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:22px 0 8px;border-bottom:1px solid #d5dce4;padding-bottom:3px}
.meta{color:#52606d}.grid{display:grid;grid-template-columns:1fr 1fr;gap:6px 18px}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #e6eaef}
th{font-weight:600;background:#f5f7fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.out td{background:#fff4e5}.flag{color:#b45309;font-weight:600}.plots{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.plot{min-height:260px;break-inside:avoid}.section{break-inside:avoid;margin:8px 0;padding:8px 10px;border:1px solid #e6eaef;border-radius:4px}
.status{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#52606d}.status.available{color:#18794e}
code{font-size:11px;background:#f5f7fa;padding:1px 3px}.id{white-space:nowrap}.disclaimer{margin-top:18px;padding:8px;border:1px solid #b45309;color:#7c2d12}
@media print{body{margin:0;max-width:none}.plots{grid-template-columns:1fr 1fr}}
`;

/** The report's body (escaped HTML) and its figures, before they are put in a page. */
export interface ReportParts { title: string; body: string; figures: { id: string; spec: PlotSpec }[] }

export function renderReportHtml(report: ReportModel, reportId: string): string {
  const { title, body, figures } = renderReportParts(report, reportId);
  // JSON inside <script>: '<' escaped so no text from the database can close the script element.
  const json = JSON.stringify(figures).replace(/</g, '\\u003c');
  return `${pageHead(title)}
${body}
<script>${plotly()}</script>
<script>${DRAW}drawFigures(${json});</script></body></html>`;
}

const pageHead = (title: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>`;

/** Draws the figures, then marks the body ready (what the PDF printer waits for). */
const DRAW = `function drawFigures(figs){document.body.removeAttribute('data-plots');var left=figs.length;
figs.forEach(function(f){Plotly.newPlot(f.id,f.spec.data,f.spec.layout,{displaylogo:false,responsive:true}).then(function(){left--;if(left===0)document.body.setAttribute('data-plots','ready');});});
if(left===0)document.body.setAttribute('data-plots','ready');}`;

/** A page with plotly and the drawing function loaded once; a PDF fills its body (render-pdf.ts keeps it open). */
export function reportShellHtml(): string {
  return `${pageHead('GaitLab report')}<script>${plotly()}</script><script>${DRAW}</script></body></html>`;
}

export function renderReportParts(report: ReportModel, reportId: string): ReportParts {
  const figures: { id: string; spec: PlotSpec }[] = [];
  const plot = (spec: PlotSpec | null) => {
    if (!spec) return '';
    const id = `fig${figures.length}`;
    figures.push({ id, spec });
    return `<div class="plot" id="${id}"></div>`;
  };
  const s = report.subject;
  const q = report.quality;
  const reasons = Object.entries(q.exclusionReasons).map(([k, n]) => `${h(k.replace(/_/g, ' '))} ${n}`).join(', ');
  const parts: string[] = [];
  parts.push(`<h1>${h(report.title)}</h1><div class="meta">Report ${h(reportId)} · issued ${h(report.provenance.createdAt.slice(0, 19).replace('T', ' '))} UTC · GaitLab ${h(report.provenance.gaitlabVersion)}</div>`);
  parts.push(`<h2>Subject and visit</h2><div class="grid">
    <div><b>Pseudonym</b> ${h(s.id)}</div><div><b>Cohort / group</b> ${h(s.cohort)} / ${h(s.group ?? '—')}</div>
    <div><b>Sex</b> ${h(s.sex ?? '—')}</div><div><b>Visit</b> ${h(report.visit.label)}${report.visit.date ? ` (${h(report.visit.date)})` : ''}</div>
    ${report.compare ? `<div><b>Compared with</b> ${h(report.compare.label)}${report.compare.date ? ` (${h(report.compare.date)})` : ''}</div>` : ''}
    <div><b>Devices / formats</b> ${h(report.devices.join(', ') || '—')}</div>
    ${s.attributes.map((a) => `<div><b>${h(a.label)}</b> ${h(String(a.value))}${a.unit ? ` ${h(a.unit)}` : ''}</div>`).join('')}
  </div>`);
  parts.push(`<h2>Data quality</h2><p>${q.trialsUsed} of ${q.trials} trials used${q.trialsLeftOut.length ? ` (left out: ${q.trialsLeftOut.map((t) => `${h(t.trialId)} — ${h(t.reason)}`).join('; ')})` : ''}.
    Strides: ${q.strides.left} left, ${q.strides.right} right, ${q.strides.flagged} flagged. Gait cycles: ${q.cyclesUsed} used, ${q.cyclesExcluded} excluded${reasons ? ` (${reasons})` : ''}.
    ${q.pendingDetection.length ? `<span class="flag">No gait events detected yet on ${q.pendingDetection.length} trial(s).</span>` : ''}</p>`);
  parts.push(`<h2>Spatiotemporal parameters</h2><p class="meta">Reference: ${h(report.reference?.description ?? 'none — no reference group with computed parameters in this cohort')}.</p>
    <table><thead><tr><th>Parameter</th><th>Side</th><th class="num">Mean</th><th class="num">SD</th><th>Unit</th><th class="num">Normal range</th>${report.compare ? '<th class="num">Compared visit</th>' : ''}<th class="num">Strides</th></tr></thead><tbody>
    ${report.parameters.map((p) => `<tr class="${p.outside ? 'out' : ''}"><td>${h(p.label)}</td><td>${h(side(p.side))}</td><td class="num">${fmt(p.mean)}${p.outside ? ` <span class="flag">${p.outside === 'low' ? '▼' : '▲'}</span>` : ''}</td><td class="num">${fmt(p.sd)}</td><td>${h(p.unit)}</td>
      <td class="num">${p.normal ? `${fmt(p.normal.low)}–${fmt(p.normal.high)}` : '—'}</td>${report.compare ? `<td class="num">${fmt(p.compare)}</td>` : ''}<td class="num">${p.n}</td></tr>`).join('')}
    </tbody></table>${plot(parameterFigure(report.parameters))}`);
  parts.push(`<h2>Symmetry</h2><table><thead><tr><th>Parameter</th><th class="num">Left</th><th class="num">Right</th><th class="num">Symmetry index (%)</th><th class="num">Normal range</th></tr></thead><tbody>
    ${report.symmetry.map((x) => `<tr class="${x.outside ? 'out' : ''}"><td>${h(x.label)}</td><td class="num">${fmt(x.left)}</td><td class="num">${fmt(x.right)}</td><td class="num">${fmt(x.symmetryIndex)}</td><td class="num">${x.normal ? `${fmt(x.normal.low)}–${fmt(x.normal.high)}` : '—'}</td></tr>`).join('')}
    </tbody></table><p class="meta">Symmetry index = 100 · (left − right) / (½ (left + right)); 0 is perfect symmetry.</p>`);
  const comparedVisit = report.curves.find((c) => c.compare)?.compare?.visit;
  parts.push(`<h2>Gait curves</h2><p class="meta">Mean ± SD over clean gait cycles per side; grey: the reference group's mean ± SD.${comparedVisit ? ` Dashed: the compared visit, ${h(comparedVisit)}.` : ''}</p>
    <div class="plots">${report.curves.map((c) => plot(curveFigure(c))).join('') || '<p>No gait cycles.</p>'}</div>
    ${report.curves.filter((c) => c.meanAbsNsi !== null).map((c) => `<p>${h(c.title)}: mean absolute normalised symmetry index over the cycle ${fmt(c.meanAbsNsi)} %.</p>`).join('')}`);
  parts.push(`<h2>Explaining methods</h2>${report.methods.map((m) => `<div class="section"><div class="status ${m.status}">${h(m.status.replace('-', ' '))}</div><b>${h(m.title)}</b><p>${h(m.summary)}</p>${m.howToRun ? `<p>To compute it: <code>${h(m.howToRun)}</code></p>` : ''}${m.relevance ? relevanceHtml(m.relevance, plot) : ''}${m.modelId ? `<p class="meta">Model ${h(m.modelId)}</p>` : ''}${m.sincEvidence ? sincEvidenceHtml(m.sincEvidence, m.howToRun, plot) : ''}</div>`).join('')}`);
  const p = report.provenance;
  parts.push(`<h2>Provenance</h2><p class="meta">GaitLab ${h(p.gaitlabVersion)}, database schema ${p.schemaVersion}, event detector ${h(p.detector ?? '—')}.</p>
    <table><thead><tr><th>Trial</th><th>Format</th><th>Content SHA-256</th></tr></thead><tbody>${p.trials.map((t) => `<tr><td>${h(t.id)}</td><td>${h(t.format ?? '—')}</td><td><code>${h((t.sha256 ?? '—').slice(0, 16))}</code></td></tr>`).join('')}</tbody></table>
    <table><thead><tr><th>Trial</th><th>Method</th><th>Version</th><th>Run</th><th>Parameters</th></tr></thead><tbody>${p.runs.map((r) => `<tr><td>${h(r.trialId)}</td><td>${h(r.method)}</td><td>${h(r.version)}</td><td>${h(r.runId)}</td><td><code>${h(JSON.stringify(r.params).slice(0, 160))}</code></td></tr>`).join('')}</tbody></table>`);
  parts.push(`<div class="disclaimer">${h(report.disclaimer)}</div>`);

  return { title: report.title, body: parts.join('\n'), figures };
}

/** The SincPD section's filters and sensors: a table of the top filters, the sensors' shares and their bar figure. */
function sincEvidenceHtml(e: SincEvidence, sectionHowToRun: string | null, plot: (spec: PlotSpec | null) => string): string {
  const head = `<h3>Sinc filters and sensors that carried the evidence</h3>`;
  if (e.status !== 'available') return `${head}<p><span class="status">${h(e.status.replace('-', ' '))}</span> ${h(e.summary)}</p>${e.howToRun && e.howToRun !== sectionHowToRun ? `<p>To compute it: <code>${h(e.howToRun)}</code></p>` : ''}`;
  const bands = (b: [number, number][]) => (b.length ? b.map(([lo, hi]) => `${fmt(lo)}–${fmt(hi)}`).join(', ') : '—');
  return `${head}<p>${h(e.summary)}</p>
    <table><thead><tr><th class="num">Rank</th><th>Sensor (left − right)</th><th>Filter</th><th class="num">Pass-band (Hz)</th><th class="num">Measured pass-band (Hz)</th><th class="num">ΔE</th></tr></thead><tbody>
    ${e.filters.map((f) => `<tr><td class="num">${f.rank}</td><td>${h(f.channel)} ${h(f.region)}</td><td>${f.filter}</td><td class="num">${fmt(f.f1Hz)}–${fmt(f.f2Hz)}${f.aliased ? ' <span class="flag">aliased</span>' : ''}</td><td class="num">${bands(f.measuredBandsHz)}</td><td class="num">${fmt(f.deltaE)}</td></tr>`).join('')}
    </tbody></table>
    <table><thead><tr><th class="num">Rank</th><th>Sensor (left − right)</th><th>Region</th><th class="num">Share of Σ|ΔE|</th></tr></thead><tbody>
    ${e.sensors.map((x) => `<tr><td class="num">${x.rank}</td><td>${h(x.channel)}</td><td>${h(x.region)}</td><td class="num">${(100 * x.share).toFixed(1)} %</td></tr>`).join('')}
    </tbody></table>${plot(sincSensorFigure(e))}`;
}

/** The relevance map over the subject's mean curves: the channels with the most relevance, one figure each. */
function relevanceHtml(rel: ReportRelevance, plot: (spec: PlotSpec | null) => string): string {
  const drawn = drawnRelevancePanels(rel);
  return `<p class="meta">Relevance coloured onto the subject's mean curves (${h(rel.inputs.kind)}: ${rel.inputs.n}); points and the band under each curve: red → yellow supports ${h(rel.truth)}, blue → cyan speaks against it, black ≈ 0 (scale ±${fmt(rel.scale)}, the largest |R| of the map). The ${drawn.length} of ${rel.panels.length} channels with the most relevance:</p>
    <div class="plots">${drawn.map((p) => plot(relevanceFigure(p, rel))).join('')}</div>`;
}
