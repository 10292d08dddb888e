import type { GaitParameters } from '../../../src-shared/api/schema';
import { formatCount, formatMeanSd, formatMeasured } from '../../lib/format';
import { sideLabel } from '../../plots/channel-groups';
import { parameterLabel, parameterRank } from '../../../src-shared/report/param-labels';

type Summary = GaitParameters['parameters'][number];
type Symmetry = GaitParameters['symmetry'][number];

const SIDE_ORDER = ['left', 'right', 'affected', 'unaffected'];

/** One row per parameter: mean ± SD, CV and n per side, then the symmetry index and angle. */
export function ParamsTable({ params }: { params: GaitParameters }) {
  const names: string[] = [];
  for (const p of params.parameters) if (!names.includes(p.name)) names.push(p.name);
  for (const s of params.symmetry) if (!names.includes(s.name)) names.push(s.name);
  names.sort((a, b) => parameterRank(a) - parameterRank(b));

  const sideKeys: (string | null)[] = [];
  for (const p of params.parameters) {
    const key = p.side?.toLowerCase() ?? null;
    if (!sideKeys.includes(key)) sideKeys.push(key);
  }
  const rank = (s: string | null) => (s === null ? SIDE_ORDER.length + 1 : SIDE_ORDER.includes(s) ? SIDE_ORDER.indexOf(s) : SIDE_ORDER.length);
  sideKeys.sort((a, b) => rank(a) - rank(b));

  const find = (name: string, side: string | null): Summary | undefined => params.parameters.find((p) => p.name === name && (p.side?.toLowerCase() ?? null) === side);
  const symmetryOf = (name: string): Symmetry | undefined => params.symmetry.find((s) => s.name === name);
  const hasSymmetry = params.symmetry.length > 0;

  return (
    <div className="table-scroll">
      <table className="data-table params-table" data-testid="params-table">
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              Parameter
            </th>
            {sideKeys.map((side) => (
              <th key={side ?? 'none'} scope="colgroup" colSpan={3} className="group-head">
                {side === null ? 'Both sides' : sideLabel(side)}
              </th>
            ))}
            {hasSymmetry && (
              <th scope="colgroup" colSpan={2} className="group-head">
                Symmetry
              </th>
            )}
          </tr>
          <tr>
            {sideKeys.map((side) => [
              <th key={`${side}-m`} scope="col" className="numeric">
                Mean ± SD
              </th>,
              <th key={`${side}-cv`} scope="col" className="numeric">
                CV
              </th>,
              <th key={`${side}-n`} scope="col" className="numeric">
                n
              </th>,
            ])}
            {hasSymmetry && (
              <>
                <th scope="col" className="numeric" title="Symmetry index: 0 % is perfect symmetry">
                  SI
                </th>
                <th scope="col" className="numeric" title="Symmetry angle: 0 is perfect symmetry">
                  SA
                </th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const symmetry = symmetryOf(name);
            return (
              <tr key={name} data-testid="param-row" data-param={name}>
                <th scope="row" title={name}>
                  {parameterLabel(name)}
                </th>
                {sideKeys.map((side) => {
                  const p = find(name, side);
                  return [
                    <td key={`${side}-m`} className="numeric side-start">
                      {p ? formatMeanSd(p.mean, p.sd) : <span className="muted">—</span>}
                    </td>,
                    <td key={`${side}-cv`} className="numeric">
                      {p ? formatMeasured(p.cv) : <span className="muted">—</span>}
                    </td>,
                    <td key={`${side}-n`} className="numeric muted">
                      {p ? formatCount(p.n) : '—'}
                    </td>,
                  ];
                })}
                {hasSymmetry && (
                  <>
                    <td className="numeric side-start">{symmetry ? formatMeasured(symmetry.symmetryIndex, { signed: true }) : <span className="muted">—</span>}</td>
                    <td className="numeric">{symmetry ? formatMeasured(symmetry.symmetryAngle, { signed: true, decimals: 2 }) : <span className="muted">—</span>}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
