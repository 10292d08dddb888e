// A small curve drawn as SVG: a feature's decoder atom and the cycles that fire it, 101 points over 0–100 % of
// the cycle. Dozens of these on one page are cheap where as many plotly charts would not be.
export function Sparkline({ curves, width = 220, height = 70, label, testId }: { curves: { values: number[]; className: string }[]; width?: number; height?: number; label: string; testId?: string }) {
  const all = curves.flatMap((c) => c.values).filter(Number.isFinite);
  const lo = Math.min(0, ...all), hi = Math.max(0, ...all);
  const span = hi - lo || 1;
  const y = (v: number) => height - 4 - ((v - lo) / span) * (height - 8);
  const path = (values: number[]) => values.map((v, i) => `${i === 0 ? 'M' : 'L'}${((i / (values.length - 1)) * width).toFixed(1)},${y(v).toFixed(1)}`).join('');
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid={testId}>
      <line className="sparkline-zero" x1={0} x2={width} y1={y(0)} y2={y(0)} />
      {curves.map((c, i) => <path key={i} className={c.className} d={path(c.values)} />)}
    </svg>
  );
}
