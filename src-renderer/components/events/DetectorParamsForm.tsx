import { useState } from 'react';
import { getMethod, MethodParamError, type ParamSpec, type ParamValue } from '../../../src-shared/methods';
import { splitParamName } from './detector-label';
import type { TrialEvents } from './use-trial-events';

/** A field's text as the parameter's value: numbers as numbers, an empty nullable number as null, a choice as its value. */
function valueFromText(spec: ParamSpec, text: string): ParamValue {
  if (spec.type === 'boolean') return text === 'true';
  if (spec.type === 'choice') return spec.values.find((v) => String(v) === text) ?? text;
  if (spec.type === 'text') return text.trim();
  if (text.trim() === '' && spec.nullable) return null;
  return text.trim() === '' ? NaN : Number(text);
}

/**
 * The detector's parameters as a form built from their declarations (units, ranges, choices): change one, run the
 * detector again with them. The method's own parser checks the set before it is sent, with the same one-line
 * message the server would give.
 */
export function DetectorParamsForm({ trialEvents }: { trialEvents: TrialEvents }) {
  const { detector, busy } = trialEvents;
  const [draft, setDraft] = useState<Record<string, string>>({});
  const method = detector ? getMethod(detector.name) : undefined;
  if (!detector || !method) return null;

  const names = method.params.names as string[];
  const specs = method.params.specs as Record<string, ParamSpec>;
  const storedText = (key: string) => {
    const v = detector.params[key] ?? specs[key].default;
    return v === null ? '' : String(v);
  };
  const textOf = (key: string) => draft[key] ?? storedText(key);
  const values: Record<string, ParamValue> = {};
  for (const key of names) values[key] = valueFromText(specs[key], textOf(key));
  let problem: string | null = null;
  try {
    method.params.parse(values);
  } catch (e) {
    if (!(e instanceof MethodParamError)) throw e;
    problem = e.message;
  }
  const edited = names.some((key) => textOf(key) !== storedText(key));

  return (
    <details className="detector-params">
      <summary>Detector parameters</summary>
      <form
        className="param-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) void trialEvents.redetect(values).then((ok) => ok && setDraft({}));
        }}
      >
        {names.map((key) => {
          const spec = specs[key];
          const { words, unit } = splitParamName(key);
          const set = (text: string) => setDraft({ ...draft, [key]: text });
          return (
            <label key={key} className="param-field" title={`${spec.description} (${method.params.rangeText(key)})`}>
              <span>{words}</span>
              {spec.type === 'boolean' ? (
                <select className="select compact" value={textOf(key)} onChange={(e) => set(e.target.value)}>
                  <option value="true">yes</option>
                  <option value="false">no</option>
                </select>
              ) : spec.type === 'choice' ? (
                <select className="select compact" value={textOf(key)} onChange={(e) => set(e.target.value)}>
                  {spec.values.map((v) => (
                    <option key={String(v)} value={String(v)}>
                      {String(v)}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  className="text-input param-input"
                  inputMode={spec.type === 'text' ? 'text' : 'decimal'}
                  placeholder={spec.type === 'number' && spec.nullable ? 'none' : undefined}
                  value={textOf(key)}
                  onChange={(e) => set(e.target.value)}
                />
              )}
              <span className="muted">{spec.type === 'number' ? spec.unit || unit : unit}</span>
            </label>
          );
        })}
        {problem && edited && (
          <p className="error-line small" data-testid="detector-params-problem">
            {problem}
          </p>
        )}
        <div className="param-actions">
          <button type="submit" className="button small" disabled={problem !== null || !edited || busy !== null} data-testid="redetect-with-params">
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
