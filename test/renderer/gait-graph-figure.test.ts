import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GaitGraphPanel } from '../../src-shared/api/references';
import { buildGaitPanelFigure, buildMapFigure, SIDE_COLOURS } from '../../src-renderer/plots/gait-graph-figure';

const flat = (v: number) => Array.from({ length: 101 }, () => v);
const side = (channel: string, footOffPct: number | null, cycles?: number[][]) => ({ channel, mean: flat(10), sd: flat(2), n: 3, footOffPct, cycles });

function panel(over: Partial<GaitGraphPanel> = {}): GaitGraphPanel {
  return {
    row: 'knee', column: 'sagittal', title: 'Knee sagittal', unit: 'deg', unitNote: null,
    channels: { left: 'LKneeAngles_x', right: 'RKneeAngles_x' },
    left: side('A22:LKneeAngles_x', 61.5), right: side('A22:RKneeAngles_x', 59, [flat(9), flat(11)]),
    reference: { left: { channel: 'LKneeAngles_x', unit: 'deg', nCycles: 20, nSubjects: 5, mean: flat(8), sd: flat(4) }, right: null },
    ...over,
  };
}

test('a panel: grey reference band behind, each side mean ± SD in its colour, thin cycles, a foot-off line per side', () => {
  const f = buildGaitPanelFigure(panel());
  const traces = f.data as { name?: string; fill?: string; fillcolor?: string; y: number[]; line?: { color?: string; width?: number } }[];
  // Order: reference band first (drawn behind), then left band + mean, then right cycles, band + mean.
  assert.equal(traces[0].name, 'reference left');
  assert.equal(traces[1].fill, 'tonexty');
  assert.match(traces[1].fillcolor!, /rgba\(128, 128, 128/);
  assert.deepEqual([traces[0].y[0], traces[1].y[0]], [4, 12], 'mean ∓ SD of the reference');
  const means = traces.filter((t) => t.line?.width === 2);
  assert.deepEqual(means.map((t) => [t.name, t.line!.color]), [['left (n = 3)', SIDE_COLOURS.left], ['right (n = 3)', SIDE_COLOURS.right]]);
  assert.equal(traces.filter((t) => t.line?.width === 0.6).length, 2, 'the right side’s two individual cycles');
  const shapes = f.layout.shapes as { x0: number; line: { color: string } }[];
  assert.deepEqual(shapes.map((s) => [s.x0, s.line.color]), [[61.5, SIDE_COLOURS.left], [59, SIDE_COLOURS.right]]);
  assert.equal((f.layout.xaxis as { title: { text: string } }).title.text, '% gait cycle');
  assert.equal((f.layout.yaxis as { title: { text: string } }).title.text, 'deg');
});

test('a panel without cycles or foot-off draws only what exists', () => {
  const f = buildGaitPanelFigure(panel({ left: null, right: side('RKneeAngles_x', null), reference: { left: null, right: null } }));
  assert.equal(f.data.length, 3, 'band (2 traces) and mean of the right side');
  assert.deepEqual(f.layout.shapes, []);
});

test('the MAP: GVS per variable and side, then the GPS per side and overall', () => {
  const f = buildMapFigure({
    unit: 'deg', missing: [], overall: 2,
    gps: { left: 1.5, right: 2.5 },
    map: [
      { variable: 'knee_flexion', label: 'Knee flexion', side: 'left', gvs: 3, channel: 'LKneeAngles_x', cycles: 2 },
      { variable: 'knee_flexion', label: 'Knee flexion', side: 'right', gvs: 4, channel: 'RKneeAngles_x', cycles: 1 },
    ],
  });
  const bars = f.data as { name: string; x: string[]; y: (number | null)[] }[];
  assert.deepEqual(bars.map((b) => [b.name, b.x, b.y]), [['left', ['Knee flexion', 'GPS'], [3, 1.5]], ['right', ['Knee flexion', 'GPS'], [4, 2.5]], ['overall', ['GPS'], [2]]]);
});

test('routes: the gait graph of a trial or subject, and a channel’s cycles as a panel opens them', async () => {
  const { parseRoute, hrefGaitGraph, hrefChannelCycles } = await import('../../src-renderer/lib/route');
  assert.deepEqual(parseRoute(hrefGaitGraph({ trialId: 'T-1' })), { page: 'gait-graph', trialId: 'T-1' });
  assert.deepEqual(parseRoute(hrefGaitGraph({ subjectId: 'S-1' })), { page: 'gait-graph', subjectId: 'S-1' });
  assert.deepEqual(parseRoute(hrefChannelCycles({ trialId: 'T-1' }, 'A22:LKneeAngles_x')), { page: 'trial', trialId: 'T-1', channel: 'A22:LKneeAngles_x' });
  assert.deepEqual(parseRoute(hrefChannelCycles({ subjectId: 'S-1' }, 'L total')), { page: 'subject-cycles', subjectId: 'S-1', channel: 'L total' });
  assert.deepEqual(parseRoute('#/subjects/S-1/cycles'), { page: 'subject-cycles', subjectId: 'S-1' });
});
