// Movella DOT BLE measurement payloads: byte fixtures built from the specification's field tables (uint32 µs
// timestamp, little-endian float32 fields, int16/2¹² magnetometer), the control command, the UUIDs, and the block
// assembly the driver uses (clock unwrap, counter, lost samples, short notifications counted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DOT_UUID, DotClock, PAYLOAD_MODES, controlCommand, decodeBattery, decodeNotification, encodeNotification, modeChannels, modePayloadBytes, payloadMode,
} from '../../../src-main/acquisition/movella-dot/protocol';
import { DotBlockAssembler } from '../../../src-main/acquisition/movella-dot/movella-dot-driver';
import type { DriverStatus } from '../../../src-main/acquisition/driver';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
/** float32 little-endian, byte by byte, as the spec's tables write them. */
const f32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setFloat32(0, v, true); return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' '); };

test('UUIDs: base 1517xxxx-4947-11e9-8646-d663bd873d93, measurement service 0x2000, control 0x2001, payloads 0x2002–0x2004', () => {
  assert.equal(DOT_UUID.measurementService, '15172000494711e98646d663bd873d93');
  assert.equal(DOT_UUID.control, '15172001494711e98646d663bd873d93');
  assert.equal(DOT_UUID.mediumPayload, '15172003494711e98646d663bd873d93');
  assert.equal(DOT_UUID.shortPayload, '15172004494711e98646d663bd873d93');
  assert.equal(DOT_UUID.battery, '15173001494711e98646d663bd873d93');
  assert.deepEqual(controlCommand(payloadMode('Complete (Euler)')!, true), hex('01 01 10'));
  assert.deepEqual(controlCommand(payloadMode(2)!, false), hex('01 00 02'));
  // Sizes per the field tables; each fits its notification characteristic (short 20, medium 40, long 63 bytes).
  const size: Record<number, number> = { 2: 36, 3: 32, 4: 16, 5: 20, 6: 16, 7: 32, 16: 28, 20: 34, 21: 28, 22: 40, 23: 34, 24: 32, 26: 44 };
  for (const m of PAYLOAD_MODES) {
    assert.equal(modePayloadBytes(m), size[m.id], m.name);
    const limit = m.characteristic === DOT_UUID.shortPayload ? 20 : m.characteristic === DOT_UUID.mediumPayload ? 40 : 63;
    assert.ok(modePayloadBytes(m) <= limit, m.name);
  }
});

test('Complete (Euler), mode 16: timestamp µs, Euler x/y/z in deg, free acceleration in m/s²', () => {
  // 0x0001E240 = 123456 µs; Euler (10.5, -45.25, 179.0); free acc (0.125, -9.5, 0.0), padded to 40 bytes as sent.
  const bytes = hex(`40 e2 01 00 ${f32(10.5)} ${f32(-45.25)} ${f32(179)} ${f32(0.125)} ${f32(-9.5)} ${f32(0)} 00 00 00 00 00 00 00 00 00 00 00 00`);
  assert.equal(bytes.length, 40);
  assert.equal(f32(10.5), '00 00 28 41');
  const mode = payloadMode(16)!;
  assert.deepEqual(modeChannels(mode).map((c) => `${c.name} ${c.unit}`), ['euler_x deg', 'euler_y deg', 'euler_z deg', 'free_acc_x m/s²', 'free_acc_y m/s²', 'free_acc_z m/s²']);
  assert.deepEqual(decodeNotification(mode, bytes), { timestampUs: 123456, values: [10.5, -45.25, 179, 0.125, -9.5, 0] });
});

test('Extended (Quaternion), mode 2: quaternion w/x/y/z, free acceleration, status int16, clip counts int8', () => {
  const bytes = hex(`ff ff ff ff ${f32(1)} ${f32(0)} ${f32(-0.5)} ${f32(0.25)} ${f32(1.5)} ${f32(2.5)} ${f32(-3.5)} 03 01 02 fe`);
  const s = decodeNotification(payloadMode('extended (quaternion)')!, bytes);
  assert.equal(s.timestampUs, 0xffffffff);
  assert.deepEqual(s.values, [1, 0, -0.5, 0.25, 1.5, 2.5, -3.5, 0x103 << 8, 2, -2]);
});

test('Rate quantities (with mag), mode 20: acceleration, angular velocity in deg/s, magnetometer int16 / 4096', () => {
  const bytes = hex(`10 27 00 00 ${f32(0.5)} ${f32(9.75)} ${f32(-0.25)} ${f32(100)} ${f32(-200)} ${f32(0.5)} 00 10 00 f8 01 00`);
  const s = decodeNotification(payloadMode(20)!, bytes);
  assert.equal(s.timestampUs, 10000);
  assert.deepEqual(s.values, [0.5, 9.75, -0.25, 100, -200, 0.5, 1, -0.5, 1 / 4096]);
  // Rate quantities without mag and free acceleration (short payload).
  assert.deepEqual(decodeNotification(payloadMode(21)!, hex(`00 00 00 00 ${f32(1)} ${f32(2)} ${f32(3)} ${f32(4)} ${f32(5)} ${f32(6)}`)).values, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(decodeNotification(payloadMode('Free acceleration')!, hex(`01 00 00 00 ${f32(-1)} ${f32(0.5)} ${f32(9)} 00 00 00 00`)).values, [-1, 0.5, 9]);
});

test('every mode round-trips through encode/decode; a short notification is refused with its length', () => {
  for (const m of PAYLOAD_MODES) {
    const n = modeChannels(m).length;
    const values = Array.from({ length: n }, (_, k) => (modeChannels(m)[k].name.startsWith('mag_') ? (k - 5) / 4096 : Math.fround(k * 1.25 - 3)));
    if (m.fields.includes('status')) values.splice(n - 3, 3, 0x1ff << 8, 7, -1);
    const enc = encodeNotification(m, { timestampUs: 4e9, values });
    assert.deepEqual(decodeNotification(m, enc), { timestampUs: 4e9, values }, m.name);
    assert.throws(() => decodeNotification(m, enc.subarray(0, enc.length - 1)), new RegExp(`${m.name.replace(/[()]/g, '\\$&')} notification of ${enc.length - 1} bytes, expected at least ${enc.length}`));
  }
  assert.deepEqual(decodeBattery(hex('57 01')), { percent: 87, charging: true });
});

test('blocks: the 32-bit µs clock unwraps, the counter follows 60 Hz, gaps are lost samples, bad payloads counted', () => {
  const statuses: DriverStatus[] = [];
  const mode = payloadMode(16)!;
  const a = new DotBlockAssembler(mode, 'DOT 1', 60, (s) => statuses.push(s));
  const period = 1e6 / 60;
  const start = 2 ** 32 - 2 * period;
  const blocks = [];
  for (const k of [0, 1, 2, 3, 6, 7]) {
    const ts = Math.round(start + k * period) % 2 ** 32;
    blocks.push(a.push(encodeNotification(mode, { timestampUs: ts, values: [k, 0, 0, 0, 0, 1] }), 1000 + k));
  }
  assert.equal(a.push(hex('01 02 03'), 2000), null);
  assert.deepEqual(blocks.map((b) => b!.counter[0]), [0, 1, 2, 3, 6, 7]);
  assert.ok(blocks[3]!.deviceTimeUs[0] > 2 ** 32, 'unwrapped past 2^32');
  assert.deepEqual(Array.from(blocks[4]!.values), [6, 0, 0, 0, 0, 1]);
  assert.deepEqual(statuses.map((s) => s.type), ['lost-samples', 'bad-input']);
  assert.deepEqual(statuses[0], { type: 'lost-samples', deviceId: 'DOT 1', fromCounter: 4, missing: 2 });
  const clock = new DotClock();
  assert.deepEqual([4294967000, 100, 50].map((t) => clock.unwrap(t)), [4294967000, 2 ** 32 + 100, 2 * 2 ** 32 + 50]);
});

test('driver over a scripted noble peripheral (no radio here): scan by name, discover, control writes, notifications become blocks', async () => {
  const { EventEmitter } = await import('node:events');
  const { MovellaDotDriver } = await import('../../../src-main/acquisition/movella-dot/movella-dot-driver');
  const writes: string[] = [];
  const characteristic = (uuid: string) => Object.assign(new EventEmitter(), {
    uuid,
    writeAsync: async (data: Buffer) => { writes.push(`${uuid.slice(4, 8)} ${data.toString('hex')}`); },
    readAsync: async () => Buffer.alloc(0),
    subscribeAsync: async () => { writes.push(`${uuid.slice(4, 8)} subscribe`); },
    unsubscribeAsync: async () => undefined,
  });
  const chars = [DOT_UUID.control, DOT_UUID.mediumPayload, DOT_UUID.shortPayload, DOT_UUID.longPayload, DOT_UUID.battery].map(characteristic);
  const peripheral = Object.assign(new EventEmitter(), {
    id: 'p1', address: 'd4:22:cd:00:12:34', advertisement: { localName: 'Movella DOT' },
    connectAsync: async () => undefined, disconnectAsync: async () => undefined,
    discoverSomeServicesAndCharacteristicsAsync: async () => ({ characteristics: chars }),
  });
  const noble = Object.assign(new EventEmitter(), {
    state: 'poweredOn',
    startScanningAsync: async () => { setImmediate(() => noble.emit('discover', { ...peripheral, address: 'aa:bb', advertisement: { localName: 'Other' } })); setImmediate(() => noble.emit('discover', peripheral)); },
    stopScanningAsync: async () => undefined,
  });
  const driver = new MovellaDotDriver({ loadNoble: () => noble, deviceId: 'DOT left foot' });
  const statuses: DriverStatus[] = [];
  driver.on('status', (s) => statuses.push(s));
  const description = await driver.open();
  assert.equal(description.rateHz, 60);
  assert.deepEqual(description.channels.map((c) => c.name), ['euler_x', 'euler_y', 'euler_z', 'free_acc_x', 'free_acc_y', 'free_acc_z']);
  const rate = await driver.configure({ channels: ['acc_z', 'gyr_x'] });
  assert.deepEqual(rate.channels.map((c) => c.name), ['acc_x', 'acc_y', 'acc_z', 'gyr_x', 'gyr_y', 'gyr_z']);
  await assert.rejects(driver.configure({ rateHz: 120 }), /field rateHz: the DOT streams at 60 Hz/);
  const blocks: number[][] = [];
  driver.on('block', (b) => blocks.push(Array.from(b.values)));
  await driver.start();
  const medium = chars[1];
  medium.emit('data', Buffer.from(encodeNotification(payloadMode(21)!, { timestampUs: 1000, values: [1, 2, 3, 4, 5, 6] })), true);
  medium.emit('data', Buffer.from(hex('00 01')), true);
  chars[4].emit('data', Buffer.from(hex('4b 00')), true);
  await driver.stop();
  await driver.close();
  assert.deepEqual(blocks, [[1, 2, 3, 4, 5, 6]]);
  assert.deepEqual(writes.filter((w) => !w.startsWith('3001')), ['2003 subscribe', '2001 010115', '2001 010015']);
  assert.deepEqual(statuses.map((s) => s.type), ['connected', 'bad-input', 'battery']);
});
