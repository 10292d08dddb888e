// BLE is optional: where @abandonware/noble does not load (no Bluetooth, as on this machine) or the adapter is off,
// the driver refuses with "BLE unavailable: <reason>" and GaitLab goes on (gaitlab doctor says so and succeeds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BleUnavailableError, bleAvailability, loadNoble } from '../../../src-main/acquisition/movella-dot/ble';
import { MovellaDotDriver } from '../../../src-main/acquisition/movella-dot/movella-dot-driver';
import { gaitlab } from '../../helpers';

test('a noble that fails to load, or an adapter that is not powered on: unavailable with the reason in one line', async () => {
  const failing = () => { throw new Error('EAFNOSUPPORT, Address family not supported by protocol\nRequire stack:\n- x.js'); };
  assert.deepEqual(loadNoble(failing), { reason: '@abandonware/noble failed to load: EAFNOSUPPORT, Address family not supported by protocol' });
  const poweredOff = { state: 'poweredOff', on: () => undefined, removeListener: () => undefined, startScanningAsync: async () => undefined, stopScanningAsync: async () => undefined };
  assert.deepEqual(await bleAvailability(() => poweredOff, 50), { available: false, reason: 'the Bluetooth adapter is poweredOff' });
  const driver = new MovellaDotDriver({ loadNoble: failing });
  await assert.rejects(driver.open(), (e: unknown) => e instanceof BleUnavailableError && e.message === 'BLE unavailable: @abandonware/noble failed to load: EAFNOSUPPORT, Address family not supported by protocol');
  assert.throws(() => new MovellaDotDriver({ mode: 1 }), /field mode: payload mode 1 is not one GaitLab decodes/);
});

test('the real noble on this machine: either usable, or the driver says "BLE unavailable: <reason>" and nothing crashes', async () => {
  const state = await bleAvailability(undefined, 1500);
  if (state.available) {
    console.log('BLE is available on this machine: the unavailable path is covered by the loader test above');
    return;
  }
  console.log(`BLE unavailable: ${state.reason}`);
  assert.ok(state.reason.length > 0 && !state.reason.includes('\n'));
  await assert.rejects(new MovellaDotDriver().open(), (e: unknown) => e instanceof BleUnavailableError && e.message === `BLE unavailable: ${state.reason}`);
  // The process goes on: serial acquisition still loads.
  assert.equal(typeof (await import('../../../src-main/acquisition/shimmer3/shimmer3-driver')).Shimmer3Driver, 'function');
});

test('gaitlab doctor reports BLE in one line and still succeeds; --json carries it', () => {
  const text = gaitlab(['doctor']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^(ok {6}BLE \(Movella DOT\)|absent {2}BLE unavailable: .+)$/m);
  const json = gaitlab(['doctor', '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(typeof json.json.ble.available, 'boolean');
  if (!json.json.ble.available) assert.ok(json.json.ble.reason.length > 0);
});
