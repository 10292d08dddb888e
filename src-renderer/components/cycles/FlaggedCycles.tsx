import type { CycleDto } from '../../../src-shared/api/schema';
import { formatNumber } from '../../lib/format';
import { sideLabel } from '../../plots/channel-groups';

interface FlaggedCyclesProps {
  flagged: readonly CycleDto[];
  /** Trial id → its label, when the cycles come from several trials. */
  trialLabels?: ReadonlyMap<string, string>;
  open: boolean;
}

/** Why cycles were left out of the means: a count per flag, and each cycle with its time span and flags. */
export function FlaggedCycles({ flagged, trialLabels, open }: FlaggedCyclesProps) {
  if (flagged.length === 0) return <p className="muted small">No cycle is flagged: every cycle counts in the mean.</p>;
  const byFlag = new Map<string, number>();
  for (const c of flagged) for (const f of c.flags) byFlag.set(f, (byFlag.get(f) ?? 0) + 1);
  return (
    <details className="flagged-cycles" open={open} data-testid="flagged-cycles">
      <summary>
        {flagged.length} flagged {flagged.length === 1 ? 'cycle' : 'cycles'}, not in the means:{' '}
        {[...byFlag].map(([flag, n]) => `${flag} × ${n}`).join(', ')}
      </summary>
      <div className="flagged-scroll">
        <table className="data-table compact-table">
          <thead>
            <tr>
              {trialLabels && <th scope="col">Trial</th>}
              <th scope="col">Side</th>
              <th scope="col">Channel</th>
              <th scope="col" className="numeric">
                From (s)
              </th>
              <th scope="col" className="numeric">
                To (s)
              </th>
              <th scope="col">Flags</th>
            </tr>
          </thead>
          <tbody>
            {flagged.map((c) => (
              <tr key={c.id} data-testid="flagged-cycle">
                {trialLabels && <td>{trialLabels.get(c.trialId) ?? c.trialId}</td>}
                <td>{sideLabel(c.side) ?? '—'}</td>
                <td>{c.channel}</td>
                <td className="numeric">{formatNumber(c.startS, 2)}</td>
                <td className="numeric">{formatNumber(c.endS, 2)}</td>
                <td>
                  {c.flags.map((f) => (
                    <span key={f} className="tag flag-tag">
                      {f}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
