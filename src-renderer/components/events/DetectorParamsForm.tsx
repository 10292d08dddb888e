import { useState } from 'react';
import { splitParamName } from './detector-label';
import type { TrialEvents } from './use-trial-events';

type Primitive = number | string | boolean;

/** The detector's parameters as a form: change one, run the detector again with them. */
export function DetectorParamsForm({ trialEvents }: { trialEvents: TrialEvents }) {
  const { detector, busy } = trialEvents;
  const editable = Object.entries(detector?.params ?? {}).filter((entry): entry is [string, Primitive] => ['number', 'string', 'boolean'].includes(typeof entry[1]));
  const [draft, setDraft] = useState<Record<string, string>>({});
  if (!detector || editable.length === 0) return null;

  const valueOf = (key: string, stored: Primitive) => draft[key] ?? String(stored);
  const parsed: Record<string, Primitive> = {};
  let valid = true;
  for (const [key, stored] of editable) {
    const text = valueOf(key, stored);
    if (typeof stored === 'number') {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) valid = false;
      parsed[key] = n;
    } else if (typeof stored === 'boolean') parsed[key] = text === 'true';
    else parsed[key] = text;
  }
  const edited = editable.some(([key, stored]) => parsed[key] !== stored);

  return (
    <details className="detector-params">
      <summary>Detector parameters</summary>
      <form
        className="param-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void trialEvents.redetect(parsed).then((ok) => ok && setDraft({}));
        }}
      >
        {editable.map(([key, stored]) => {
          const { words, unit } = splitParamName(key);
          return (
            <label key={key} className="param-field" title={key}>
              <span>{words}</span>
              {typeof stored === 'boolean' ? (
                <select className="select compact" value={valueOf(key, stored)} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}>
                  <option value="true">yes</option>
                  <option value="false">no</option>
                </select>
              ) : (
                <input
                  className="text-input param-input"
                  inputMode={typeof stored === 'number' ? 'decimal' : undefined}
                  value={valueOf(key, stored)}
                  onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
                />
              )}
              <span className="muted">{unit}</span>
            </label>
          );
        })}
        <div className="param-actions">
          <button type="submit" className="button small" disabled={!valid || !edited || busy !== null} data-testid="redetect-with-params">
            Re-detect with these
          </button>
          <button type="button" className="link-button" onClick={() => setDraft({})} disabled={!edited}>
            Reset
          </button>
        </div>
      </form>
    </details>
  );
}
