import { useMemo, useState } from 'react';
import type { CycleDto } from '../../../src-shared/api/schema';
import { cyclesOnFirstView } from '../../api/gait-first-view';
import { formatCount } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import { sideLabel } from '../../plots/channel-groups';
import { buildCyclesFigure, type CycleSide } from '../../plots/cycles-figure';
import { Plot } from '../../plots/Plot';
import { type ChannelMeta, cycleChannelOptions } from './cycle-channels';
import { FlaggedCycles } from './FlaggedCycles';

export type CycleScope = { trialId: string } | { subjectId: string };
type Kind = CycleDto['kind'];

interface CyclesViewProps {
  scope: CycleScope;
  /** Changes when the events (and so the cycles) may have changed. */
  revision: string;
  /** Trial id → label, to name the trial of a flagged cycle when the scope is a subject. */
  trialLabels?: ReadonlyMap<string, string>;
  fileName: string;
  /** The page's own heading level: a section of the trial page, or the whole cycles page. */
  headingLevel?: 'h1' | 'h2';
  /** The channel to show first (a gait graph panel opens its channel's cycles). */
  initialChannel?: string;
}

const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'gait_cycle', label: 'Gait cycle' },
  { kind: 'stance', label: 'Stance' },
];
const SIDE_ORDER = ['left', 'right', 'affected', 'unaffected'];
const NO_CYCLES: CycleDto[] = [];

/**
 * Every cycle of a trial or a subject for one channel, overlaid per side, with each side's mean ± SD. The channels
 * offered are the ones the server cut cycles from (one request per kind; switching channel needs none).
 */
export function CyclesView({ scope, revision, trialLabels, fileName, headingLevel = 'h2', initialChannel }: CyclesViewProps) {
  const [optionKey, setOptionKey] = useState<string | null>(null);
  const [kind, setKind] = useState<Kind>('gait_cycle');
  const [showFlagged, setShowFlagged] = useState(false);
  const scopeKey = 'trialId' in scope ? `trial:${scope.trialId}` : `subject:${scope.subjectId}`;

  // The answer says which query it answers: while another loads, the previous plot stays, dimmed.
  const queryKey = `${scopeKey}|${kind}|${revision}`;
  const loaded = useLoad(() => cyclesOnFirstView(scope, kind).then((answer) => ({ queryKey, cycles: answer.cycles })), [queryKey]);
  const stale = loaded.state === 'ready' && loaded.value.queryKey !== queryKey;
  const all = loaded.state === 'ready' ? loaded.value.cycles : NO_CYCLES;
  const options = useMemo(() => cycleChannelOptions(channelsOf(all)), [all]);
  const option = options.find((o) => o.key === optionKey) ?? options.find((o) => o.channels.some((c) => c.name === initialChannel)) ?? options[0];
  const cycles = useMemo(() => {
    const names = new Set(option?.channels.map((c) => c.name));
    return all.filter((c) => names.has(c.channel));
  }, [all, option]);
  const sides = useMemo(() => splitBySide(cycles), [cycles]);
  const flagged = sides.flatMap((s) => s.flagged);
  const unit = cycles[0]?.unit ?? option?.unit ?? '';
  const figure = useMemo(() => buildCyclesFigure(sides, { kind, unit, showFlagged, fileName }), [sides, kind, unit, showFlagged, fileName]);
  const Heading = headingLevel;
  const titleId = `cycles-title-${scopeKey}`;

  return (
    <section className="panel cycles-panel" aria-labelledby={titleId} data-testid="cycles-view">
      <header className="panel-head">
        <Heading id={titleId}>Cycles</Heading>
        {loaded.state === 'ready' && cycles.length > 0 && (
          <span className="muted small" data-testid="cycles-counts">
            {sides.map((s) => `${sideLabel(s.side) ?? 'No side'}: ${formatCount(s.clean.length)}`).join(' · ')}
            {flagged.length > 0 && ` · ${formatCount(flagged.length)} flagged${showFlagged ? '' : ' (hidden)'}`}
          </span>
        )}
      </header>

      <div className="cycles-toolbar">
        {options.length > 0 && (
          <label className="select-label">
            Channel
            <select className="select" value={option?.key ?? ''} onChange={(e) => setOptionKey(e.target.value)} data-testid="cycles-channel">
              {options.map((o) => (
                <option key={o.key} value={o.key}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="segments" role="group" aria-label="Cycle kind">
          {KINDS.map((k) => (
            <button
              key={k.kind}
              type="button"
              className={kind === k.kind ? 'segment selected' : 'segment'}
              aria-pressed={kind === k.kind}
              onClick={() => setKind(k.kind)}
              data-testid={`cycles-kind-${k.kind}`}
            >
              {k.label}
            </button>
          ))}
        </div>
        <label className="check-label">
          <input type="checkbox" checked={showFlagged} onChange={(e) => setShowFlagged(e.target.checked)} disabled={flagged.length === 0} data-testid="cycles-show-flagged" />
          Show flagged ({formatCount(flagged.length)})
        </label>
      </div>

      {loaded.state === 'loading' && <p className="plot-loading">Cutting the cycles…</p>}
      {loaded.state === 'error' && <p className="error-line">The cycles could not be loaded: {loaded.message}</p>}
      {loaded.state === 'ready' && cycles.length === 0 && (
        <p className="muted" data-testid="cycles-empty">
          No {kind === 'stance' ? 'stance phases' : 'gait cycles'} {'trialId' in scope ? 'in this trial' : 'in these trials'}:{' '}
          {kind === 'stance' ? 'a stance runs from a foot’s initial contact to its final contact' : 'a gait cycle runs from a foot’s initial contact to its next'},
          and there are no such events yet.
        </p>
      )}
      {loaded.state === 'ready' && cycles.length > 0 && (
        <div className={stale ? 'cycles-body stale' : 'cycles-body'}>
          <Plot
            className="cycles-plot"
            testId="cycles-plot"
            data={figure.data}
            layout={figure.layout}
            config={figure.config}
            ariaLabel={`${kind === 'stance' ? 'Stance phases' : 'Gait cycles'} of ${option?.label}: ${sides
              .map((s) => `${formatCount(s.clean.length)} ${sideLabel(s.side) ?? 'unsided'}`)
              .join(', ')}, with mean ± SD`}
          />
          <FlaggedCycles flagged={flagged} trialLabels={trialLabels} open={showFlagged} />
        </div>
      )}
    </section>
  );
}

function splitBySide(cycles: readonly CycleDto[]): CycleSide[] {
  const bySide = new Map<string, CycleSide>();
  for (const c of cycles) {
    const key = c.side?.toLowerCase() ?? '';
    const entry = bySide.get(key) ?? { side: c.side, clean: [], flagged: [] };
    (c.flags.length ? entry.flagged : entry.clean).push(c);
    bySide.set(key, entry);
  }
  const rank = (side: string) => (SIDE_ORDER.includes(side) ? SIDE_ORDER.indexOf(side) : SIDE_ORDER.length);
  return [...bySide.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)).map(([, s]) => s);
}

/** The channels the cycles were cut from, as the channel picker pairs them. */
function channelsOf(cycles: readonly CycleDto[]): ChannelMeta[] {
  const seen = new Map<string, ChannelMeta>();
  for (const c of cycles) if (!seen.has(c.channel)) seen.set(c.channel, { name: c.channel, unit: c.unit, side: c.side, domain: c.kind === 'stance' ? 'stance' : 'cycle' });
  return [...seen.values()];
}
