// One device of a running recording: a plot that appends (Plotly.extendTraces over a bounded window, drawn once per
// animation frame, never re-rendered), its health, the sensor-to-screen latency measured per point, and for an
// insole or a shank IMU the live estimate of gait events and cadence.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Data } from 'plotly.js-dist-min';
import type { LiveSamplesEvent } from '../../../src-shared/api/events';
import type { RecordingRun } from '../../../src-shared/api/recording';
import { LiveInsoleGait, type LiveGaitEvent } from '../../../src-shared/signal/events/live-insole';
import { LiveShankGyroGait, shankGyroChannels } from '../../../src-shared/signal/events/live-shank-gyro';
import { NumberRing, PendingPoints } from '../../lib/live-buffers';
import { loadPlotly } from '../../plots/Plot';
import { LIVE_PLOT_CONFIG, LIVE_WINDOW_S, livePlotLayout } from './live-plot-layout';

const MAX_POINTS = LIVE_WINDOW_S * 60;
/** Latencies kept for the p95 shown: the last few minutes at 50 points/s. */
const LATENCY_POINTS = 8192;
const SILENT_AFTER_MS = 1500;
/** A longer hole between two points (lost samples, a silent device) is drawn as a break, not a line across it. */
const BREAK_AFTER_S = 0.5;

type Trial = RecordingRun['trials'][number];
type Health = RecordingRun['devices'][number];
export type LiveSink = (e: LiveSamplesEvent, receivedAtMs: number) => void;

const epochMs = (): number => performance.timeOrigin + performance.now();

/** Housekeeping channels (a Shimmer3's battery and ADCs, in mV): health, not motion, and off the motion's scale. */
const HOUSEKEEPING = /^(battery|adc_|ext_|int_)/i;

/** The channels drawn: an insole's two totals, else up to six motion channels (an IMU's acc and gyro). */
function plottedChannels(trial: Trial): number[] {
  const totals = trial.channels.map((c, i) => (/total/i.test(c) ? i : -1)).filter((i) => i >= 0);
  return totals.length ? totals : trial.channels.map((c, i) => (HOUSEKEEPING.test(c) ? -1 : i)).filter((i) => i >= 0).slice(0, 6);
}

/** Sensor-to-screen latency per point, and its three legs, ms (p50, p95, p99 of the last LATENCY_POINTS). */
interface LatencyFigures {
  n: number;
  total: [number, number, number];
  /** Sampled (host receive time of the sample) → sent by the acquisition process. */
  acquisition: [number, number, number];
  /** Sent → received by the page (acquisition process → main → WebSocket). */
  transport: [number, number, number];
  /** Received → on screen (the frame after plotly drew it). */
  render: [number, number, number];
}

const percentiles = (r: NumberRing): [number, number, number] => [r.quantile(0.5), r.quantile(0.95), r.quantile(0.99)];
const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '');

interface Shown {
  points: number;
  latency: LatencyFigures;
  silent: boolean;
  cadence: number | null;
  contacts: { left: number; right: number };
  recent: LiveGaitEvent[];
}

export function LiveDevicePanel({ trial, originHostMs, health, statuses, register }: {
  trial: Trial;
  originHostMs: number;
  health: Health | undefined;
  statuses: readonly string[];
  register: (trialId: string, sink: LiveSink | null) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [plotState, setPlotState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [shown, setShown] = useState<Shown>({ points: 0, latency: { n: 0, total: [NaN, NaN, NaN], acquisition: [NaN, NaN, NaN], transport: [NaN, NaN, NaN], render: [NaN, NaN, NaN] }, silent: false, cadence: null, contacts: { left: 0, right: 0 }, recent: [] });
  const isInsole = trial.kind === 'insole';
  // The live estimate's input: an insole's two totals, or an IMU's sagittal shank gyroscopes (one leg or both).
  const gaitInput = useMemo(() => (isInsole
    ? { left: trial.channels.findIndex((c) => /^l.*total/i.test(c)), right: trial.channels.findIndex((c) => /^r.*total/i.test(c)), detector: 'InsoleEvents' }
    : { ...shankGyroChannels(trial.channels), detector: 'ShankGyroEvents' }), [trial, isInsole]);
  const hasGait = isInsole ? gaitInput.left >= 0 && gaitInput.right >= 0 : gaitInput.left >= 0 || gaitInput.right >= 0;
  const live = useRef({
    pending: new PendingPoints(plottedChannels(trial).length, MAX_POINTS),
    latency: new NumberRing(LATENCY_POINTS),
    acquisition: new NumberRing(LATENCY_POINTS),
    transport: new NumberRing(LATENCY_POINTS),
    render: new NumberRing(LATENCY_POINTS),
    drawn: 0,
    frame: 0,
    lastBatchMs: epochMs(),
    lastX: Infinity,
    gait: !hasGait ? null : isInsole ? new LiveInsoleGait() : new LiveShankGyroGait(),
    contacts: { left: 0, right: 0 },
    recent: [] as LiveGaitEvent[],
  });

  useEffect(() => {
    const el = host.current;
    const state = live.current;
    const traces = plottedChannels(trial);
    const { left, right } = gaitInput;
    let ready = false;
    let disposed = false;
    let plotly: Awaited<ReturnType<typeof loadPlotly>> | null = null;

    const flush = () => {
      state.frame = 0;
      if (!ready || !plotly || !el || state.pending.length === 0) return;
      const { x, y, sampledAtMs, receivedAtMs } = state.pending.take();
      const update = { x: traces.map(() => x), y } as unknown as Data;
      void plotly.extendTraces(el, update, traces.map((_, k) => k), MAX_POINTS).then(() => {
        // The frame after plotly drew is the one that shows it: the point is on screen by then.
        requestAnimationFrame(() => {
          const now = epochMs();
          for (let i = 0; i < x.length; i++) {
            if (Number.isNaN(sampledAtMs[i])) continue;
            state.latency.push(now - sampledAtMs[i]);
            state.render.push(now - receivedAtMs[i]);
          }
          state.drawn += sampledAtMs.filter((s) => !Number.isNaN(s)).length;
        });
      });
    };

    const sink: LiveSink = (e, receivedAtMs) => {
      state.lastBatchMs = receivedAtMs;
      state.transport.push(receivedAtMs - e.sentAtMs);
      for (let i = 0; i < e.timeS.length; i++) {
        const sampledAt = originHostMs + e.timeS[i] * 1000;
        if (e.timeS[i] - state.lastX > BREAK_AFTER_S) state.pending.add((state.lastX + e.timeS[i]) / 2, NaN, NaN, traces.map(() => NaN));
        state.lastX = e.timeS[i];
        state.acquisition.push(e.sentAtMs - sampledAt);
        state.pending.add(e.timeS[i], sampledAt, receivedAtMs, traces.map((k) => e.values[k][i]));
        if (state.gait) {
          const found = [
            ...(left >= 0 ? state.gait.push('left', e.deviceTimeS[i], e.values[left][i]) : []),
            ...(right >= 0 ? state.gait.push('right', e.deviceTimeS[i], e.values[right][i]) : []),
          ];
          for (const g of found) {
            if (g.label === 'initial_contact') state.contacts[g.side]++;
            state.recent = [...state.recent, g].slice(-6);
          }
        }
      }
      if (!state.frame) state.frame = requestAnimationFrame(flush);
    };
    register(trial.trialId, sink);

    loadPlotly().then(async (P) => {
      if (disposed || !el) return;
      plotly = P;
      const data: Data[] = traces.map((k) => ({ type: 'scatter' as const, mode: 'lines' as const, name: trial.channels[k], x: [], y: [], line: { width: 1.5 } }));
      await P.newPlot(el, data, livePlotLayout(isInsole), LIVE_PLOT_CONFIG);
      ready = true;
      setPlotState('ready');
    }).catch(() => { if (!disposed) setPlotState('error'); });

    // What is shown as numbers changes at most twice a second, so the stream never re-renders the page.
    const tick = setInterval(() => {
      setShown({
        points: state.drawn,
        latency: { n: state.latency.size, total: percentiles(state.latency), acquisition: percentiles(state.acquisition), transport: percentiles(state.transport), render: percentiles(state.render) },
        silent: epochMs() - state.lastBatchMs > SILENT_AFTER_MS,
        cadence: state.gait?.cadenceStepsPerMin() ?? null, contacts: { ...state.contacts }, recent: state.recent,
      });
    }, 500);
    return () => {
      disposed = true;
      clearInterval(tick);
      register(trial.trialId, null);
      if (state.frame) cancelAnimationFrame(state.frame);
      if (el && plotly) plotly.purge(el);
    };
  }, [trial, originHostMs, register, isInsole, gaitInput]);

  // What the page sees decides: samples within SILENT_AFTER_MS are streaming, whatever the last status said.
  const link = !shown.silent ? 'streaming' : health && !health.connected ? 'disconnected' : 'silent';
  return (
    <section className="panel live-device" data-testid={`live-device-${trial.deviceId}`} data-trial-id={trial.trialId}
      data-points={shown.points} data-latency-n={shown.latency.n} data-latency-ms={shown.latency.total.map(ms).join(',')}
      data-acquisition-ms={shown.latency.acquisition.map(ms).join(',')} data-transport-ms={shown.latency.transport.map(ms).join(',')} data-render-ms={shown.latency.render.map(ms).join(',')}>
      <h2>{trial.deviceId} <span className="muted">({trial.kind}, {trial.rateHz} Hz nominal)</span></h2>
      <div className="live-plot" data-plot-state={plotState}>
        {plotState === 'error' && <p className="error-line">The live plot could not be drawn.</p>}
        <div ref={host} className="live-plot-host" data-testid="live-plot" role="img" aria-label={`Live signal of ${trial.deviceId}, last ${LIVE_WINDOW_S} s`} />
      </div>
      <dl className="live-health" data-testid="live-health">
        <dt>Link</dt><dd data-testid="live-link" className={link === 'streaming' ? '' : 'error-text'}>{link}</dd>
        <dt>Rate measured</dt><dd data-testid="live-rate">{health ? `${health.rateHz} samples/s` : '—'}</dd>
        <dt>Samples</dt><dd data-testid="live-samples">{health?.samples ?? 0}</dd>
        <dt>Lost samples</dt><dd data-testid="live-lost">{health ? `${health.lostSamples} (${health.gaps} gaps)` : '—'}</dd>
        <dt>Bad lines</dt><dd data-testid="live-bad-lines">{health?.badLines ?? 0}</dd>
        <dt>Battery</dt><dd data-testid="live-battery">{health?.battery != null ? `${health.battery} %` : 'not reported'}</dd>
        <dt>Display latency p95</dt>
        <dd data-testid="live-latency" title="p95 over the last points drawn: sample received → sent by the acquisition process → received by this page → on screen">
          {Number.isFinite(shown.latency.total[1]) ? `${shown.latency.total[1].toFixed(0)} ms (${shown.latency.acquisition[1].toFixed(0)} + ${shown.latency.transport[1].toFixed(0)} + ${shown.latency.render[1].toFixed(0)})` : '—'}
        </dd>
      </dl>
      {hasGait && (
        <div className="live-gait" data-testid="live-gait" data-contacts-left={shown.contacts.left} data-contacts-right={shown.contacts.right}>
          <strong>Live estimate</strong> (running detector on the display stream; the stored trial gets {gaitInput.detector} after Stop):{' '}
          cadence <span data-testid="live-cadence">{shown.cadence !== null ? `${shown.cadence.toFixed(0)} steps/min` : '—'}</span>,
          initial contacts left {shown.contacts.left}, right {shown.contacts.right}
          {shown.recent.length > 0 && <span className="muted"> · last: {shown.recent.map((g) => `${g.side[0].toUpperCase()} ${g.label === 'initial_contact' ? 'on' : 'off'} ${g.timeS.toFixed(2)} s`).join(', ')}</span>}
        </div>
      )}
      {statuses.length > 0 && (
        <ul className="live-statuses" data-testid="live-statuses">
          {statuses.map((s, i) => <li key={i}>{s}</li>)}
        </ul>
      )}
    </section>
  );
}
