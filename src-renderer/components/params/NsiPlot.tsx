import { useMemo } from 'react';
import type { Config, Data, Layout } from 'plotly.js-dist-min';
import type { GaitParameters } from '../../../src-shared/api/schema';
import { formatMeasured } from '../../lib/format';
import { percentAxis } from '../../../src-shared/signal/normalise';
import { Plot } from '../../plots/Plot';
import { escapeHtml, FONT_FAMILY } from '../../plots/trial-figure';

type CurveSymmetry = GaitParameters['curveSymmetry'][number];

const NSI_COLOUR = '#5b3fa6';

/** The normalised symmetry index over the gait cycle for one channel pair: 0 where both sides agree. */
export function NsiPlot({ curve, fileName }: { curve: CurveSymmetry; fileName: string }) {
  const unit = curve.meanAbsNsi.unit;
  const figure = useMemo(() => {
    const data: Data[] = [
      {
        type: 'scatter',
        mode: 'lines',
        x: percentAxis(curve.nsi.length),
        y: curve.nsi,
        fill: 'tozeroy',
        fillcolor: 'rgba(91,63,166,0.12)',
        line: { width: 1.75, color: NSI_COLOUR },
        hovertemplate: `NSI %{y:.1f} ${escapeHtml(unit)} at %{x:.0f} %<extra></extra>`,
        name: 'NSI',
      } as Data,
    ];
    const layout = {
      height: 190,
      margin: { t: 8, b: 40, l: 64, r: 28 },
      font: { family: FONT_FAMILY, size: 11, color: '#1b2430' },
      paper_bgcolor: '#ffffff',
      plot_bgcolor: '#ffffff',
      showlegend: false,
      hovermode: 'closest',
      xaxis: { title: { text: '% gait cycle', standoff: 4 }, range: [0, 100], dtick: 20, ticksuffix: ' %', gridcolor: '#e6eaef', linecolor: '#9aa5b1', zeroline: false },
      yaxis: { title: { text: unit ? `NSI (${unit})` : 'NSI', standoff: 4 }, gridcolor: '#e6eaef', linecolor: '#9aa5b1', zeroline: true, zerolinecolor: '#7a8593', zerolinewidth: 1.5, automargin: true },
    } as Partial<Layout>;
    const config: Partial<Config> = { responsive: true, displaylogo: false, displayModeBar: false, toImageButtonOptions: { format: 'png', filename: fileName, scale: 2 } };
    return { data, layout, config };
  }, [curve, unit, fileName]);

  return (
    <figure className="nsi-figure">
      <figcaption>
        <b>{curve.channel}</b> <span className="muted">· mean |NSI| {formatMeasured(curve.meanAbsNsi)}</span>
      </figcaption>
      <Plot
        className="nsi-plot"
        testId="nsi-plot"
        data={figure.data}
        layout={figure.layout}
        config={figure.config}
        ariaLabel={`Normalised symmetry index of ${curve.channel} over the gait cycle; mean absolute ${formatMeasured(curve.meanAbsNsi)}`}
      />
    </figure>
  );
}
