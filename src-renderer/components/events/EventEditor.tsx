import { useEffect, useState, type KeyboardEvent } from 'react';
import type { GaitEventDto } from '../../../src-shared/api/schema';
import { formatNumber } from '../../lib/format';
import { describeEvent, labelChoices, type EventSide } from './event-labels';
import type { TrialEvents } from './use-trial-events';
import { EventLabelSelect, EventSideSelect } from './EventSelects';

interface EventEditorProps {
  trialEvents: TrialEvents;
  selected: GaitEventDto | null;
  /** The time picked by clicking the plot or typed here, s. */
  pendingTimeS: number | null;
  onPendingChange(timeS: number | null): void;
  onSelect(id: string | null): void;
}

const sideValue = (text: string): EventSide => (text === '' ? null : (text as EventSide));
const timeText = (t: number | null) => (t === null ? '' : t.toFixed(3));

function parseTime(text: string): number | null {
  const t = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(t) && t >= 0 ? t : null;
}

/** Correct the selected event (time, label, side), delete it, add one at the picked time, undo the last change. */
export function EventEditor({ trialEvents, selected, pendingTimeS, onPendingChange, onSelect }: EventEditorProps) {
  const { events, busy, undoDescription } = trialEvents;
  const choices = labelChoices(events);
  const [time, setTime] = useState('');
  const [label, setLabel] = useState('initial_contact');
  const [side, setSide] = useState('left');
  const [addLabel, setAddLabel] = useState('initial_contact');
  const [addSide, setAddSide] = useState('left');
  const [addTime, setAddTime] = useState('');

  // A new selection starts from its stored values; a click on the plot (or a drag) moves the draft.
  useEffect(() => {
    setTime(timeText(pendingTimeS ?? selected?.timeS ?? null));
  }, [selected?.id, selected?.timeS, pendingTimeS]);
  useEffect(() => {
    if (!selected) return;
    setLabel(selected.label);
    setSide(selected.side ?? '');
  }, [selected?.id, selected?.label, selected?.side]);
  useEffect(() => {
    if (!selected && pendingTimeS !== null) setAddTime(timeText(pendingTimeS));
  }, [selected, pendingTimeS]);

  const draftTime = parseTime(time);
  const changed =
    selected !== null &&
    ((draftTime !== null && Math.abs(draftTime - selected.timeS) > 5e-4) || label !== selected.label || sideValue(side) !== selected.side);

  async function save() {
    if (!selected || !changed || draftTime === null) return;
    const patch: { timeS?: number; label?: string; side?: EventSide } = {};
    if (Math.abs(draftTime - selected.timeS) > 5e-4) patch.timeS = draftTime;
    if (label !== selected.label) patch.label = label;
    if (sideValue(side) !== selected.side) patch.side = sideValue(side);
    if (await trialEvents.correct(selected.id, patch)) onPendingChange(null);
  }

  async function remove() {
    if (!selected) return;
    if (await trialEvents.remove(selected.id)) {
      onSelect(null);
      onPendingChange(null);
    }
  }

  async function add() {
    const t = parseTime(addTime);
    if (t === null) return;
    const event = await trialEvents.add(addLabel, sideValue(addSide), t);
    if (event) {
      onPendingChange(null);
      onSelect(event.id);
    }
  }

  function onTimeKey(e: KeyboardEvent<HTMLInputElement>, action: () => void) {
    if (e.key === 'Enter') {
      e.preventDefault();
      action();
    } else if (e.key === 'Escape') {
      onPendingChange(null);
      onSelect(null);
    }
  }

  return (
    <div className="event-editor">
      <fieldset className="event-edit-group" disabled={!selected || busy !== null} aria-label="Selected event">
        <span className="event-edit-title">
          {selected ? (
            <>
              <b>{describeEvent(selected)}</b>
              <span className="muted"> · {selected.manual ? 'manual' : 'detected'}</span>
            </>
          ) : (
            <span className="muted">No event selected</span>
          )}
        </span>
        <label className="inline-field">
          Time
          <input
            className="text-input time-input"
            inputMode="decimal"
            value={time}
            onChange={(e) => {
              setTime(e.target.value);
              const t = parseTime(e.target.value);
              if (t !== null && selected) onPendingChange(t);
            }}
            onKeyDown={(e) => onTimeKey(e, () => void save())}
            aria-label="Time of the selected event, s"
            data-testid="event-time-input"
          />
          s
        </label>
        <EventLabelSelect value={label} onChange={setLabel} ariaLabel="Label of the selected event"
          choices={selected && !choices.includes(selected.label) ? [...choices, selected.label] : choices} />
        <EventSideSelect value={side} onChange={setSide} ariaLabel="Side of the selected event" />
        <button type="button" className="button small primary" onClick={() => void save()} disabled={!changed || draftTime === null} data-testid="event-save">
          Save
        </button>
        <button type="button" className="button small" onClick={() => void remove()} data-testid="event-delete">
          Delete
        </button>
      </fieldset>

      <fieldset className="event-edit-group add" disabled={busy !== null} aria-label="Add an event">
        <span className="event-edit-label">Add</span>
        <EventLabelSelect value={addLabel} onChange={setAddLabel} ariaLabel="Label of the new event" choices={choices} />
        <EventSideSelect value={addSide} onChange={setAddSide} ariaLabel="Side of the new event" />
        <label className="inline-field">
          at
          <input
            className="text-input time-input"
            inputMode="decimal"
            value={addTime}
            placeholder="click plot"
            onChange={(e) => setAddTime(e.target.value)}
            onKeyDown={(e) => onTimeKey(e, () => void add())}
            aria-label="Time of the new event, s"
            data-testid="event-add-time"
          />
          s
        </label>
        <button type="button" className="button small" onClick={() => void add()} disabled={parseTime(addTime) === null} data-testid="event-add">
          Add event
        </button>
      </fieldset>

      <div className="event-edit-status">
        <button
          type="button"
          className="button small quiet"
          onClick={() => void trialEvents.undo()}
          disabled={!undoDescription || busy !== null}
          title={undoDescription ? `Undo the ${undoDescription}` : 'Nothing to undo'}
          data-testid="event-undo"
        >
          ↶ Undo
        </button>
        <span className="muted small" aria-live="polite">
          {busy ?? (pendingTimeS !== null ? `picked ${formatNumber(pendingTimeS, 3)} s` : '')}
        </span>
      </div>
    </div>
  );
}
