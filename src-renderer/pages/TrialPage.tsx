import { useCallback, useMemo, useState } from 'react';
import type { ApiResponse, ChannelData } from '../../src-shared/api/schema';
import { call } from '../api/client';
import { useApp } from '../app-context';
import { AttributeTable } from '../components/AttributeTable';
import { ErrorBanner } from '../components/ErrorBanner';
import { baseName, formatCount, formatNumber, formatSeconds, plural } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { usePageTitle } from '../lib/page-title';
import { hrefSubject } from '../lib/route';
import { ChannelToggles } from '../plots/ChannelToggles';
import { type Domain, domainAxisTitle, groupChannels } from '../plots/channel-groups';
import { Plot } from '../plots/Plot';
import { buildFigure, type PlottedGroup } from '../plots/trial-figure';

/** Points per channel the server decimates to: enough for a 4K-wide plot, small enough for SVG. */
const MAX_POINTS = 4000;
/** A window short enough to see single steps: about 10 strides of normal walking. */
const VIEW_WINDOW_S = 10;

type SignalsAnswer = ApiResponse<'getSignals'>;

export function TrialPage({ trialId }: { trialId: string }) {
  const { dataVersion } = useApp();
  const loaded = useLoad(() => call('getSignals', { trialId, maxPoints: MAX_POINTS }), [trialId, dataVersion]);
  usePageTitle(loaded.state === 'ready' ? `${loaded.value.trial.subjectCode} ${loaded.value.trial.label} · GaitLab` : 'Trial · GaitLab');

  return (
    <section className="page detail-page trial-page" aria-labelledby="trial-title">
      {loaded.state === 'loading' && <p className="page-loading">Loading the signals…</p>}
      {loaded.state === 'error' && <ErrorBanner message={loaded.message} />}
      {loaded.state === 'ready' && <TrialDetail answer={loaded.value} />}
    </section>
  );
}

function TrialDetail({ answer }: { answer: SignalsAnswer }) {
  const { trial, channels } = answer;
  const [hidden, setHidden] = useState<ReadonlySet<number>>(() => new Set());

  const byDomain = useMemo(() => plotGroupsByDomain(channels), [channels]);

  const toggle = useCallback((indices: number[], show: boolean) => {
    setHidden((previous) => {
      const next = new Set(previous);
      for (const i of indices) {
        if (show) next.delete(i);
        else next.add(i);
      }
      return next;
    });
  }, []);

  const decimated = channels.some((c) => c.decimated);
  const allGroups = byDomain.flatMap(([, groups]) => groups);

  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={hrefSubject(trial.subjectId)}>← {trial.subjectCode}</a>
        <span className="muted"> / {trial.session}</span>
      </nav>
      <header className="detail-head">
        <h1 id="trial-title" tabIndex={-1}>
          {trial.label}
        </h1>
        <dl className="head-facts">
          <div className="fact">
            <dt>Subject</dt>
            <dd>
              <a href={hrefSubject(trial.subjectId)}>{trial.subjectCode}</a>
            </dd>
          </div>
          <div className="fact">
            <dt>Session</dt>
            <dd>{trial.session}</dd>
          </div>
          <div className="fact">
            <dt>Duration</dt>
            <dd>{formatSeconds(trial.durationS)}</dd>
          </div>
          <div className="fact">
            <dt>Channels</dt>
            <dd>{formatCount(channels.length)}</dd>
          </div>
          <div className="fact wide">
            <dt>Source</dt>
            <dd title={trial.sourceFile ?? undefined}>
              {trial.sourceFile ? baseName(trial.sourceFile) : '—'}
              {trial.sourceFormat && <span className="tag">{trial.sourceFormat}</span>}
            </dd>
          </div>
          <div className="fact wide">
            <dt>SHA-256</dt>
            <dd>
              <code className="hash" title={trial.contentSha256 ?? undefined}>
                {trial.contentSha256 ? trial.contentSha256.slice(0, 16) : '—'}
              </code>
            </dd>
          </div>
        </dl>
        {Object.keys(trial.attributes).length > 0 && <AttributeTable attributes={trial.attributes} inline />}
      </header>

      {channels.length === 0 ? (
        <p className="muted">This trial has no channels.</p>
      ) : (
        <div className="trial-layout">
          <aside className="panel toggles-panel" aria-label="Channels shown">
            <ChannelToggles groups={allGroups} hidden={hidden} onToggle={toggle} />
          </aside>
          <div className="panel plot-panel" data-testid="trial-plot">
            {byDomain.map(([domain, groups]) => (
              <TrialPlot key={domain} domain={domain} groups={groups} hidden={hidden} onToggle={toggle} revision={trial.id} fileName={`${trial.subjectCode}_${trial.label}`} />
            ))}
            {decimated && (
              <p className="muted small plot-note">
                Drawn from at most {formatCount(MAX_POINTS)} points per channel, decimated by GaitLab for display; the
                channel table gives the full sample counts.
              </p>
            )}
          </div>
        </div>
      )}

      <section className="panel" aria-labelledby="channels-title">
        <h2 id="channels-title">Channels</h2>
        <ChannelTable channels={channels} />
      </section>
    </>
  );
}

function TrialPlot(props: {
  domain: Domain;
  groups: PlottedGroup[];
  hidden: ReadonlySet<number>;
  onToggle(indices: number[], show: boolean): void;
  revision: string;
  fileName: string;
}) {
  const { domain, groups, hidden, onToggle, revision, fileName } = props;
  const startS = useMemo(() => firstX(groups), [groups]);
  const endS = useMemo(() => lastX(groups), [groups]);
  const windowed = domain === 'time' && endS - startS > 2 * VIEW_WINDOW_S;
  // A long walk opens on its first strides, where single steps can be read; the whole trial is one click away.
  const [view, setView] = useState<{ windowS: number | null; resets: number }>(() => ({ windowS: windowed ? VIEW_WINDOW_S : null, resets: 0 }));
  const figure = useMemo(
    () =>
      buildFigure(domain, groups, hidden, {
        revision: `${revision}:${domain}:${view.resets}`,
        fileName,
        xRange: view.windowS === null ? undefined : [startS, startS + view.windowS],
      }),
    [domain, groups, hidden, revision, fileName, view, startS],
  );

  const onLegendClick = useCallback(
    (e: { curveNumber: number }) => {
      const index = figure.traceChannel[e.curveNumber];
      if (index !== undefined) onToggle([index], hidden.has(index));
      return false;
    },
    [figure, hidden, onToggle],
  );

  // Double click: show only this channel within its group, or the whole group again if it already was alone.
  const onLegendDoubleClick = useCallback(
    (e: { curveNumber: number }) => {
      const index = figure.traceChannel[e.curveNumber];
      const group = groups.find((g) => g.channels.some((c) => c.index === index));
      if (index === undefined || !group) return false;
      const others = group.channels.map((c) => c.index).filter((i) => i !== index);
      const alone = !hidden.has(index) && others.every((i) => hidden.has(i));
      if (alone) onToggle(others, true);
      else {
        onToggle(others, false);
        onToggle([index], true);
      }
      return false;
    },
    [figure, groups, hidden, onToggle],
  );

  return (
    <>
      {windowed && (
        <div className="plot-toolbar" role="group" aria-label="Time shown">
          <span className="muted small">Show</span>
          <button
            type="button"
            className={view.windowS === null ? 'segment selected' : 'segment'}
            aria-pressed={view.windowS === null}
            onClick={() => setView((v) => ({ windowS: null, resets: v.resets + 1 }))}
          >
            Whole trial
          </button>
          <button
            type="button"
            className={view.windowS === VIEW_WINDOW_S ? 'segment selected' : 'segment'}
            aria-pressed={view.windowS === VIEW_WINDOW_S}
            onClick={() => setView((v) => ({ windowS: VIEW_WINDOW_S, resets: v.resets + 1 }))}
          >
            First {VIEW_WINDOW_S} s
          </button>
          <span className="muted small">Drag to zoom, double-click to reset; click a legend entry to hide it.</span>
        </div>
      )}
    <Plot
      className="trial-plot"
      data={figure.data}
      layout={figure.layout}
      config={figure.config}
      onLegendClick={onLegendClick}
      onLegendDoubleClick={onLegendDoubleClick}
      ariaLabel={`${domainAxisTitle(domain)} plot of ${plural(groups.reduce((n, g) => n + g.channels.length, 0), 'channel')}: ${groups.map((g) => g.title).join('; ')}`}
    />
    </>
  );
}

function firstX(groups: PlottedGroup[]): number {
  let min = Infinity;
  for (const g of groups) for (const { channel } of g.channels) if (channel.x?.length) min = Math.min(min, channel.x[0]);
  return Number.isFinite(min) ? min : 0;
}

function lastX(groups: PlottedGroup[]): number {
  let max = -Infinity;
  for (const g of groups) for (const { channel } of g.channels) if (channel.x?.length) max = Math.max(max, channel.x[channel.x.length - 1]);
  return Number.isFinite(max) ? max : 0;
}

function plotGroupsByDomain(channels: ChannelData[]): [Domain, PlottedGroup[]][] {
  const indexOf = new Map(channels.map((c, i) => [c, i]));
  const groups = groupChannels(channels).map<PlottedGroup>((g) => ({
    ...g,
    channels: g.channels.map((channel) => ({ index: indexOf.get(channel)!, channel })),
  }));
  const byDomain = new Map<Domain, PlottedGroup[]>();
  for (const group of groups) byDomain.set(group.domain, [...(byDomain.get(group.domain) ?? []), group]);
  return [...byDomain.entries()];
}

function ChannelTable({ channels }: { channels: ChannelData[] }) {
  return (
    <table className="data-table channel-table">
      <thead>
        <tr>
          <th scope="col">Channel</th>
          <th scope="col">Unit</th>
          <th scope="col">Side</th>
          <th scope="col" className="numeric">
            Rate (Hz)
          </th>
          <th scope="col" className="numeric">
            Samples
          </th>
          <th scope="col">x axis</th>
        </tr>
      </thead>
      <tbody>
        {channels.map((c, i) => (
          <tr key={i}>
            <th scope="row">{c.name}</th>
            <td>{c.unit || <span className="muted">—</span>}</td>
            <td>{c.side ?? <span className="muted">—</span>}</td>
            <td className="numeric">{c.rateHz === null ? '—' : formatNumber(c.rateHz)}</td>
            <td className="numeric">
              {formatCount(c.samples)}
              {c.decimated && c.values && <span className="muted small"> (drawn: {formatCount(c.values.length)})</span>}
            </td>
            <td>{domainAxisTitle(c.domain)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
