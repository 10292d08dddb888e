// A feature's activation histogram as small SVG bars (methods-spec §2.5(2)): bimodal, unimodal and silent features
// look different at a glance. For a ReLU feature the samples at exactly 0 are a separate grey bar on the left.
import type { ApiResponse } from '../../../src-shared/api/schema';

type Histogram = ApiResponse<'saeDictionary'>['features'][number]['histogram'];

export function ActivationHistogram({ h, label, width = 220, height = 46 }: { h: Histogram; label: string; width?: number; height?: number }) {
  const bars = [h.atZero, ...h.counts];
  const max = Math.max(1, ...bars);
  const w = width / bars.length;
  const total = bars.reduce((s, v) => s + v, 0);
  return (
    <figure className="activation-histogram">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid="feature-histogram" data-total={total}>
        {bars.map((v, i) => {
          const barH = (v / max) * (height - 2);
          return <rect key={i} className={i === 0 ? 'at-zero' : 'bin'} x={i * w + 0.5} y={height - barH} width={Math.max(w - 1, 1)} height={barH} />;
        })}
      </svg>
      <figcaption className="muted small">
        activations {h.low.toFixed(2)}–{h.high.toFixed(2)}; {h.atZero} samples at 0 (grey)
      </figcaption>
    </figure>
  );
}
