// The report's SincPD filters and sensors on screen: the same rows and bar figure as the HTML and PDF.
import type { Data, Layout } from 'plotly.js-dist-min';
import { sincSensorFigure } from '../../../src-shared/report/figures';
import type { SincEvidence } from '../../../src-shared/report/model';
import { Plot } from '../../plots/Plot';

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : '—');

/** `sectionHowToRun`: the enclosing section's command, not repeated here. */
export function SincEvidenceView({ evidence: e, sectionHowToRun }: { evidence: SincEvidence; sectionHowToRun: string | null }) {
  const figure = sincSensorFigure(e);
  return (
    <div className="report-sinc" data-testid="report-sinc-evidence">
      <h3>Sinc filters and sensors that carried the evidence</h3>
      {e.status !== 'available' && (
        <>
          <p><span className="report-status">{e.status.replace('-', ' ')}</span> {e.summary}</p>
          {e.howToRun && e.howToRun !== sectionHowToRun && <p>To compute it: <code>{e.howToRun}</code></p>}
        </>
      )}
      {e.status === 'available' && (
        <>
          <p>{e.summary}</p>
          <table className="data-table" data-testid="report-sinc-filters">
            <thead><tr><th className="num">Rank</th><th>Sensor (left − right)</th><th>Filter</th><th className="num">Pass-band (Hz)</th><th className="num">Measured pass-band (Hz)</th><th className="num">ΔE</th></tr></thead>
            <tbody>
              {e.filters.map((f) => (
                <tr key={`${f.sensor}-${f.filter}`}>
                  <td className="num">{f.rank}</td><td>{f.channel} {f.region}</td><td>{f.filter}</td>
                  <td className="num">{fmt(f.f1Hz)}–{fmt(f.f2Hz)}{f.aliased && <span className="report-flag"> aliased</span>}</td>
                  <td className="num">{f.measuredBandsHz.map(([lo, hi]) => `${fmt(lo)}–${fmt(hi)}`).join(', ') || '—'}</td>
                  <td className="num">{fmt(f.deltaE)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="data-table" data-testid="report-sinc-sensors">
            <thead><tr><th className="num">Rank</th><th>Sensor (left − right)</th><th>Region</th><th className="num">Share of Σ|ΔE|</th></tr></thead>
            <tbody>
              {e.sensors.map((s) => (
                <tr key={s.sensor}><td className="num">{s.rank}</td><td>{s.channel}</td><td>{s.region}</td><td className="num">{(100 * s.share).toFixed(1)} %</td></tr>
              ))}
            </tbody>
          </table>
          {figure && <Plot data={figure.data as Data[]} layout={figure.layout as Partial<Layout>} config={{ displaylogo: false, responsive: true }} ariaLabel="Each sensor's share of the filter-energy difference" testId="report-sinc-figure" />}
        </>
      )}
    </div>
  );
}
