// The Record page: choose (or quickly register) the subject, the devices and their serial ports, start; then each
// device's live plot and health, markers and notes, Stop, and the trials it made. The recording itself runs in the
// acquisition process: leaving this page does not stop it, and coming back shows it again.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiResponse } from '../../src-shared/api/schema';
import type { RecordingDeviceKind, RecordingRun } from '../../src-shared/api/recording';
import { call, errorMessage, subscribe } from '../api/client';
import { useApp } from '../app-context';
import { ErrorBanner } from '../components/ErrorBanner';
import { LiveDevicePanel, type LiveSink } from '../components/live/LiveDevicePanel';
import { loadPlotly } from '../plots/Plot';
import { useDebounced, useLoad } from '../lib/hooks';
import { usePageTitle } from '../lib/page-title';
import { hrefTrial } from '../lib/route';

type DeviceKind = RecordingDeviceKind;
/** The kinds offered, with what the port field holds for each (a DOT is found over BLE by its address). */
const KINDS: { kind: DeviceKind; label: string; portHint: string; portLabel: string }[] = [
  { kind: 'insole', label: 'Pressure insole', portHint: '/dev/ttyUSB0', portLabel: 'Serial port' },
  { kind: 'imu', label: 'IMU', portHint: '/dev/ttyUSB0', portLabel: 'Serial port' },
  { kind: 'shimmer3', label: 'Shimmer3 (Bluetooth serial)', portHint: '/dev/rfcomm0', portLabel: 'Serial port' },
  { kind: 'movella-dot', label: 'Movella DOT (BLE)', portHint: 'BLE address, or any', portLabel: 'BLE address' },
];
const speaksLines = (k: DeviceKind) => k === 'insole' || k === 'imu';
/** legacyRateHz: plain comma/semicolon lines (DIY devices) at this nominal rate; '' for the GaitLab line protocol. */
interface DeviceRow { kind: DeviceKind; port: string; legacyRateHz: string }
type Ports = ApiResponse<'recordingPorts'>;
/** Device status lines kept per device on screen. */
const STATUS_LINES = 5;
const POLL_MS = 1000;

const epochMs = (): number => performance.timeOrigin + performance.now();

export function RecordPage() {
  usePageTitle('Record · GaitLab');
  const { dataChanged } = useApp();
  const [subjectId, setSubjectId] = useState('');
  const [search, setSearch] = useState('');
  const [newCode, setNewCode] = useState('');
  const [devices, setDevices] = useState<DeviceRow[]>([{ kind: 'insole', port: '', legacyRateHz: '' }]);
  const [ports, setPorts] = useState<Ports | null>(null);
  const [run, setRun] = useState<RecordingRun | null>(null);
  /** The run's trials as started: kept apart from the polled run, so the live plots are never re-created. */
  const [trials, setTrials] = useState<RecordingRun['trials']>([]);
  const [busy, setBusy] = useState<'starting' | 'stopping' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [statuses, setStatuses] = useState<Record<string, string[]>>({});
  const sinks = useRef(new Map<string, LiveSink>());
  const markerCount = useRef(0);
  const filter = useDebounced(search, 250);
  const subjects = useLoad(() => call('listSubjects', { search: filter || undefined, limit: 50 }), [filter]);

  const attach = useCallback((r: RecordingRun) => {
    setRun(r);
    setTrials(r.trials);
    markerCount.current = r.markers.length;
  }, []);

  // plotly (~4.8 MB) is loaded while the technician fills the form, so the first samples are drawn as they come.
  useEffect(() => { void loadPlotly(); }, []);

  // A recording still running (started here earlier, or from another window of this server) is shown again.
  useEffect(() => {
    call('recordingStatus', {}).then((s) => {
      const running = s.runs.find((r) => r.state === 'recording');
      if (running) attach(running);
    }, () => {});
  }, [attach]);

  const recording = run?.state === 'recording' || run?.state === 'stopping';
  const runId = run?.runId ?? null;

  // Live samples and device health while recording: one subscription for the page, routed to each device's panel.
  useEffect(() => {
    if (!recording || !runId) return;
    const off = subscribe({ topics: ['live'] }, (e) => {
      if (e.type === 'live-samples' && e.runId === runId) sinks.current.get(e.trialId)?.(e, epochMs());
      if (e.type === 'live-status' && e.runId === runId) {
        setStatuses((s) => ({ ...s, [e.deviceId]: [...(s[e.deviceId] ?? []), `${new Date().toLocaleTimeString()} ${e.status}: ${e.detail}`].slice(-STATUS_LINES) }));
      }
    });
    const poll = setInterval(() => {
      call('recordingStatus', { runId }).then((s) => { if (s.runs[0]) setRun((prev) => (prev?.state === 'stopped' ? prev : s.runs[0])); }, () => {});
    }, POLL_MS);
    return () => {
      off();
      clearInterval(poll);
    };
  }, [recording, runId]);

  const register = useCallback((trialId: string, sink: LiveSink | null) => {
    if (sink) sinks.current.set(trialId, sink);
    else sinks.current.delete(trialId);
  }, []);

  const start = () => {
    setError(null);
    setBusy('starting');
    setStatuses({});
    call('recordingStart', { subjectId, devices: devices.map((d) => ({ kind: d.kind, port: d.port.trim(), ...(speaksLines(d.kind) && d.legacyRateHz.trim() ? { legacyRateHz: Number(d.legacyRateHz) } : {}) })) })
      .then(attach, (e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(null));
  };
  const stop = () => {
    if (!runId) return;
    setBusy('stopping');
    call('recordingStop', { runId })
      .then((r) => { setRun(r); dataChanged(); }, (e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(null));
  };
  const mark = (label: string) => {
    if (!runId) return;
    call('recordingMark', { runId, label }).then(
      (m) => setRun((r) => (r ? { ...r, markers: [...r.markers, { timeS: m.timeS, label: m.label }] } : r)),
      (e: unknown) => setError(errorMessage(e)),
    );
  };
  const createSubject = () => {
    setError(null);
    call('createSubject', { code: newCode.trim() }).then((r) => {
      setSubjectId(r.subject.id);
      setSearch(r.subject.code);
      setNewCode('');
      dataChanged();
    }, (e: unknown) => setError(errorMessage(e)));
  };
  const listPorts = () => {
    call('recordingPorts', {}).then(setPorts, (e: unknown) => setError(errorMessage(e)));
  };
  const setDevice = (i: number, patch: Partial<DeviceRow>) => setDevices((ds) => ds.map((d, k) => (k === i ? { ...d, ...patch } : d)));

  const canStart = subjectId !== '' && devices.every((d) => d.port.trim() !== '' && (d.legacyRateHz.trim() === '' || Number(d.legacyRateHz) > 0)) && busy === null;

  return (
    <section className="page detail-page" data-testid="record-page">
      <h1>Record</h1>
      {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
      {!recording && (
        <>
          <section className="panel">
            <h2>Subject</h2>
            <div className="live-row">
              <input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search code" data-testid="record-subject-search" size={20} />
              <select value={subjectId} onChange={(e) => setSubjectId(e.target.value)} data-testid="record-subject">
                <option value="">— choose a subject —</option>
                {subjects.state === 'ready' && subjects.value.subjects.map((s) => (
                  <option key={s.id} value={s.id}>{s.code}{s.group ? ` (${s.group})` : ''}</option>
                ))}
              </select>
              <span className="muted">or a new one:</span>
              <input value={newCode} onChange={(e) => setNewCode(e.target.value)} placeholder="New subject code" data-testid="record-new-code" size={16} />
              <button type="button" className="button" onClick={createSubject} disabled={newCode.trim() === ''} data-testid="record-create-subject">Create</button>
            </div>
            {subjects.state === 'error' && <ErrorBanner message={subjects.message} />}
          </section>
          <section className="panel">
            <h2>Devices</h2>
            {devices.map((d, i) => (
              <div className="live-row" key={i}>
                <select value={d.kind} onChange={(e) => setDevice(i, { kind: e.target.value as DeviceKind })} data-testid={`record-kind-${i}`} aria-label="Device kind">
                  {KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
                </select>
                <input value={d.port} onChange={(e) => setDevice(i, { port: e.target.value })} placeholder={KINDS.find((k) => k.kind === d.kind)!.portHint} size={36} data-testid={`record-port-${i}`}
                  aria-label={KINDS.find((k) => k.kind === d.kind)!.portLabel} />
                {speaksLines(d.kind) && <label className="muted">
                  Plain lines at{' '}
                  <input value={d.legacyRateHz} onChange={(e) => setDevice(i, { legacyRateHz: e.target.value })} inputMode="decimal" size={5} placeholder="—" data-testid={`record-legacy-${i}`} />
                  {' '}Hz <span title="For DIY devices sending plain comma/semicolon-separated numbers instead of the GaitLab line protocol (no counter or device clock: arrival jitter is reported).">(DIY)</span>
                </label>}
                {devices.length > 1 && <button type="button" className="button" onClick={() => setDevices((ds) => ds.filter((_, k) => k !== i))}>Remove</button>}
              </div>
            ))}
            <div className="live-row">
              <button type="button" className="button" onClick={() => setDevices((ds) => [...ds, { kind: 'insole', port: '', legacyRateHz: '' }])} disabled={devices.length >= 8}>Add device</button>
              <button type="button" className="button" onClick={listPorts} data-testid="record-list-ports">List ports</button>
            </div>
            {ports && (
              <div data-testid="record-ports">
                {ports.error && <p className="error-text">The ports could not be listed: {ports.error}</p>}
                {!ports.error && ports.ports.length === 0 && <p className="muted">No serial port is listed (a socat pty is not: type its path).</p>}
                {ports.ports.map((p) => (
                  <button type="button" key={p.path} className="button" onClick={() => setDevice(devices.length - 1, { port: p.path })}>
                    {p.path}{p.manufacturer ? ` (${p.manufacturer})` : ''}
                  </button>
                ))}
              </div>
            )}
          </section>
          <div className="live-row">
            <button type="button" className="button primary" onClick={start} disabled={!canStart} data-testid="record-start">
              {busy === 'starting' ? 'Waiting for the devices…' : 'Start recording'}
            </button>
          </div>
        </>
      )}
      {run && recording && (
        <section className="panel live-controls" data-testid="live-controls" data-run-id={run.runId} data-state={run.state}>
          <span className="live-dot" aria-hidden="true" /> Recording since {new Date(run.startedAt).toLocaleTimeString()}
          <button type="button" className="button" onClick={() => mark(`Marker ${++markerCount.current}`)} data-testid="record-marker">Marker</button>
          <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="Annotation" size={30} data-testid="record-note" />
          <button type="button" className="button" disabled={note.trim() === ''} onClick={() => { mark(note.trim()); setNote(''); }} data-testid="record-add-note">Add note</button>
          <button type="button" className="button live-stop" onClick={stop} disabled={busy !== null} data-testid="record-stop">{busy === 'stopping' ? 'Stopping…' : 'Stop'}</button>
          {run.markers.length > 0 && (
            <ul className="live-markers" data-testid="live-markers">
              {run.markers.map((m, i) => <li key={i}>{m.timeS.toFixed(2)} s: {m.label}</li>)}
            </ul>
          )}
        </section>
      )}
      {run && recording && run.originHostMs !== null && trials.map((t) => (
        <LiveDevicePanel key={t.trialId} trial={t} originHostMs={run.originHostMs!} health={run.devices.find((d) => d.trialId === t.trialId)} statuses={statuses[t.deviceId] ?? []} register={register} />
      ))}
      {run && !recording && (
        <section className="panel" data-testid="record-result" data-state={run.state}>
          <h2>{run.state === 'stopped' ? 'Recording stopped' : `Recording ${run.state}`}</h2>
          {run.error && <p className="error-text">{run.error}</p>}
          <ul>
            {run.trials.map((t) => {
              const d = run.devices.find((x) => x.trialId === t.trialId);
              return (
                <li key={t.trialId}>
                  <a href={hrefTrial(t.trialId)} data-testid="record-trial-link">{t.deviceId}</a>: {d?.samples ?? 0} samples, {d?.gaps ?? 0} gaps, {d?.badLines ?? 0} bad lines
                </li>
              );
            })}
          </ul>
          {run.markers.length > 0 && <p>{run.markers.length} markers stored as events of each trial.</p>}
          <button type="button" className="button" onClick={() => { setRun(null); setTrials([]); }} data-testid="record-again">New recording</button>
        </section>
      )}
    </section>
  );
}
