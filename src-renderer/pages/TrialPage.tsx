import { useCallback, useMemo, useState } from 'react';
import type { ApiResponse, ChannelData } from '../../src-shared/api/schema';
import { call } from '../api/client';
import { useApp } from '../app-context';
import { ChannelTable } from '../components/ChannelTable';
import { CyclesView } from '../components/cycles/CyclesView';
import { ErrorBanner } from '../components/ErrorBanner';
import { EventBar } from '../components/events/EventBar';
import { EventsPanel } from '../components/events/EventsPanel';
import { useTrialEvents } from '../components/events/use-trial-events';
import { ParamsPanel } from '../components/params/ParamsPanel';
import { RelevancePanel } from '../components/relevance/RelevancePanel';
import { TrialHead } from '../components/TrialHead';
import { formatCount } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { usePageTitle } from '../lib/page-title';
import { ChannelToggles } from '../plots/ChannelToggles';
import { type Domain, groupChannels } from '../plots/channel-groups';
import type { PlottedGroup } from '../plots/trial-figure';
import { type PlotEvents, TrialPlot } from '../plots/TrialPlot';

/** Points per channel the server decimates to: enough for a 4K-wide plot, small enough for SVG. */
const MAX_POINTS = 4000;

type SignalsAnswer = ApiResponse<'getSignals'>;

export function TrialPage({ trialId, cyclesChannel }: { trialId: string; cyclesChannel?: string }) {
  const { dataVersion } = useApp();
  const loaded = useLoad(() => call('getSignals', { trialId, maxPoints: MAX_POINTS }), [trialId, dataVersion]);
  usePageTitle(loaded.state === 'ready' ? `${loaded.value.trial.subjectCode} ${loaded.value.trial.label} · GaitLab` : 'Trial · GaitLab');

  return (
    <section className="page detail-page trial-page" aria-labelledby="trial-title">
      {loaded.state === 'loading' && <p className="page-loading">Loading the signals…</p>}
      {loaded.state === 'error' && <ErrorBanner message={loaded.message} />}
      {loaded.state === 'ready' && <TrialDetail answer={loaded.value} cyclesChannel={cyclesChannel} />}
    </section>
  );
}

function TrialDetail({ answer, cyclesChannel }: { answer: SignalsAnswer; cyclesChannel?: string }) {
  const { trial, channels } = answer;
  const { dataVersion } = useApp();
  const [hidden, setHidden] = useState<ReadonlySet<number>>(() => new Set());
  const byDomain = useMemo(() => plotGroupsByDomain(channels), [channels]);
  const hasTime = byDomain.some(([domain]) => domain === 'time');

  const trialEvents = useTrialEvents(trial.id, dataVersion, hasTime);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [pendingTimeS, setPendingTimeS] = useState<number | null>(null);
  const selected = trialEvents.events.find((e) => e.id === selectedId) ?? null;

  const select = useCallback((id: string | null) => {
    setSelectedId(id);
    setPendingTimeS(null);
  }, []);

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

  const { correct } = trialEvents;
  const plotEvents: PlotEvents | undefined =
    hasTime && trialEvents.status === 'ready'
      ? {
          events: trialEvents.events,
          selectedId,
          pendingTimeS,
          onSelect: select,
          onPick: setPendingTimeS,
          onMove: (id, timeS) => {
            setSelectedId(id);
            setPendingTimeS(null);
            void correct(id, { timeS });
          },
        }
      : undefined;

  const decimated = channels.some((c) => c.decimated);
  const allGroups = byDomain.flatMap(([, groups]) => groups);
  const fileName = `${trial.subjectCode}_${trial.label}`;

  return (
    <>
      <TrialHead trial={trial} channelCount={channels.length} />

      {channels.length === 0 ? (
        <p className="muted">This trial has no channels.</p>
      ) : (
        <div className="trial-layout">
          <aside className="panel toggles-panel" aria-label="Channels shown">
            <ChannelToggles groups={allGroups} hidden={hidden} onToggle={toggle} />
          </aside>
          <div className="panel plot-panel" data-testid="trial-plot">
            {hasTime && <EventBar trialEvents={trialEvents} selected={selected} pendingTimeS={pendingTimeS} onPendingChange={setPendingTimeS} onSelect={select} />}
            {byDomain.map(([domain, groups]) => (
              <TrialPlot
                key={domain}
                domain={domain}
                groups={groups}
                hidden={hidden}
                onToggle={toggle}
                revision={trial.id}
                fileName={fileName}
                events={domain === 'time' ? plotEvents : undefined}
              />
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

      {hasTime && <EventsPanel trialEvents={trialEvents} selectedId={selectedId} onSelect={select} />}

      {/* Parameters and cycles come from the events of time signals; a trial of ready-made cycles has neither. */}
      {hasTime && (
        <div className="analysis-layout">
          <ParamsPanel scope={{ trialId: trial.id }} revision={`${dataVersion}:${trialEvents.revision}`} fileName={fileName} />
          <CyclesView scope={{ trialId: trial.id }} revision={`${dataVersion}:${trialEvents.revision}`} fileName={`${fileName}_cycles`} initialChannel={cyclesChannel} />
        </div>
      )}

      <RelevancePanel trialId={trial.id} channels={channels} />

      <section className="panel" aria-labelledby="channels-title">
        <h2 id="channels-title">Channels</h2>
        <ChannelTable channels={channels} />
      </section>
    </>
  );
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
