import type { ChannelData } from '../../src-shared/api/schema';
import { formatCount, formatNumber } from '../lib/format';
import { domainAxisTitle } from '../plots/channel-groups';

/** Every channel of a trial: unit, side, rate, full sample count (and how many were drawn). */
export function ChannelTable({ channels }: { channels: ChannelData[] }) {
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
