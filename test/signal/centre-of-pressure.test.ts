import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centreOfPressure, copAtSurface, PLATE_CONTACT_THRESHOLD_N } from '../../src-shared/signal/centre-of-pressure';
import { DEFAULT_COP_MIN_FORCE_N } from '../../src-main/formats/c3d/forceplates';
import { COP_CONTACT_THRESHOLD_N } from '../../src-main/formats/amti-asc';
import { FORCE_THRESHOLD_DEFAULTS } from '../../src-shared/signal/events';

test('COP on the surface: COPx = −My/Fz, COPy = Mx/Fz, Tz = Mz − (COPx·Fy − COPy·Fx); undefined under the contact threshold', () => {
  // 700 N down through (30, −40) mm with 10 N / −5 N shear and a 500 N·mm free moment: build the moments, then recover.
  const [fx, fy, fz, x, y, tzIn] = [10, -5, 700, 30, -40, 500];
  const mx = y * fz, my = -x * fz, mz = tzIn + (x * fy - y * fx);
  const c = copAtSurface(fx, fy, fz, mx, my, mz);
  assert.ok(Math.abs(c.x - x) < 1e-12 && Math.abs(c.y - y) < 1e-12 && Math.abs(c.tz - tzIn) < 1e-9, JSON.stringify(c));
  assert.deepEqual(copAtSurface(1, 1, 19.9, 100, 100, 100), { x: NaN, y: NaN, tz: NaN });
  assert.equal(copAtSurface(0, 0, -20, 0, 2000, 0).x, 100); // |Fz| counts: a plate whose z points down
  // Through an origin 40 mm below the surface the same wrench has other moments and the same COP.
  const o = [0, 0, -40] as const;
  const w = { fx: [fx], fy: [fy], fz: [fz], mx: [mx - (fy * o[2] - o[1] * fz)], my: [my - (fz * o[0] - o[2] * fx)], mz: [mz - (fx * o[1] - o[0] * fy)] };
  const cop = centreOfPressure(w, o);
  assert.ok(Math.abs(cop.copX[0] - x) < 1e-9 && Math.abs(cop.copY[0] - y) < 1e-9 && Math.abs(cop.tz[0] - tzIn) < 1e-6);
  assert.equal(cop.contactSamples, 1);
});

test('one contact threshold: the C3D plates, the vendor exports and the plate event detector use the same 20 N', () => {
  assert.equal(PLATE_CONTACT_THRESHOLD_N, 20);
  assert.deepEqual([DEFAULT_COP_MIN_FORCE_N, COP_CONTACT_THRESHOLD_N, FORCE_THRESHOLD_DEFAULTS.onN], [20, 20, 20]);
});
