import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc16CcittFalse, crcHex } from '../../src-main/acquisition/line-protocol/crc16';
import { formatHeader, formatSample, parseLine, unwrapUint32, WIRE_WRAP, type LineHeader } from '../../src-main/acquisition/line-protocol/protocol';
import { GaitlabLineDecoder, LegacyLineDecoder, JITTER_WINDOW, type DecodedItem } from '../../src-main/acquisition/line-protocol/line-decoder';

const header: LineHeader = {
  kind: 'insole', deviceId: 'left-foot', rateHz: 100,
  channels: [{ name: 'L1', unit: 'N', side: 'left' }, { name: 'L2', unit: 'N', side: 'left' }, { name: 'acc_x', unit: 'm/s²', side: null }],
};

test('CRC-16/CCITT-FALSE gives the catalogue check value 0x29B1 for "123456789"', () => {
  assert.equal(crc16CcittFalse(Buffer.from('123456789')), 0x29b1);
  assert.equal(crcHex('123456789'), '29B1');
  assert.equal(crc16CcittFalse(Buffer.alloc(0)), 0xffff);
});

test('a header line round-trips: kind, id, rate, channels with units and sides', () => {
  const line = formatHeader(header);
  assert.match(line, /^#GAITLAB\/1 kind=insole id=left-foot rate=100 channels=L1:N:left,L2:N:left,acc_x:m\/s²\*[0-9A-F]{4}\n$/);
  const p = parseLine(line.trimEnd(), null);
  assert.equal(p.type, 'header');
  if (p.type === 'header') assert.deepEqual(p.header, header);
});

test('a sample line round-trips to float32 values, counter and device µs', () => {
  const line = formatSample(41, 410000, ['12.5', '-0.1', '9.80665']).trimEnd();
  const p = parseLine(line, header);
  assert.equal(p.type, 'sample');
  if (p.type !== 'sample') return;
  assert.equal(p.sample.counter, 41);
  assert.equal(p.sample.timeUs, 410000);
  assert.deepEqual([...p.sample.values], [12.5, Math.fround(-0.1), Math.fround(9.80665)]);
});

test('bad lines are refused with a reason: CRC, missing CRC, field count, non-numeric, no header, bad header', () => {
  const good = formatSample(1, 10000, ['1', '2', '3']).trimEnd();
  const flipped = good.replace('1,10000', '1,10001');
  assert.deepEqual(pick(parseLine(flipped, header)), ['bad', 'crc']);
  assert.deepEqual(pick(parseLine('1,10000,1,2,3', header)), ['bad', 'no-crc']);
  assert.deepEqual(pick(parseLine(formatSample(1, 10000, ['1', '2']).trimEnd(), header)), ['bad', 'field-count']);
  assert.deepEqual(pick(parseLine(formatSample(1, 10000, ['1', 'x', '3']).trimEnd(), header)), ['bad', 'non-numeric']);
  assert.deepEqual(pick(parseLine(formatSample(1, 10000, ['1', 'Infinity', '3']).trimEnd(), header)), ['bad', 'non-numeric']);
  assert.deepEqual(pick(parseLine(formatSample(1, 10000, ['1', '2', '3']).trimEnd(), null)), ['bad', 'no-header']);
  const badHeader = '#GAITLAB/1 kind=toaster id=a rate=100 channels=a:N';
  assert.deepEqual(pick(parseLine(`${badHeader}*${crcHex(badHeader)}`, null)), ['bad', 'header']);
  const p = parseLine(flipped, header);
  assert.ok(p.type === 'bad' && /^CRC [0-9A-F]{4}, computed [0-9A-F]{4}$/.test(p.detail));
});

test('uint32 counters and µs clocks are unwrapped across the wrap', () => {
  assert.equal(unwrapUint32(5, NaN), 5);
  assert.equal(unwrapUint32(3, WIRE_WRAP - 2), WIRE_WRAP + 3);
  assert.equal(unwrapUint32(WIRE_WRAP - 1, WIRE_WRAP + 3), WIRE_WRAP - 1);
  assert.equal(unwrapUint32(10, 3 * WIRE_WRAP + 5), 3 * WIRE_WRAP + 10);
});

test('the stream decoder reassembles lines split across chunks, counts bad lines by reason and skips them', () => {
  const d = new GaitlabLineDecoder();
  const text = formatHeader(header) + formatSample(WIRE_WRAP - 4, WIRE_WRAP - 40000, ['1', '2', '3']) + 'garbage\n'
    + formatSample(WIRE_WRAP - 3, WIRE_WRAP - 30000, ['4', '5', '6']).replace('*', '0*')
    + formatSample(WIRE_WRAP - 2, WIRE_WRAP - 20000, ['7', '8', '9']).replace('\n', '\r\n')
    + formatSample(WIRE_WRAP - 1, WIRE_WRAP - 10000, ['0', '0', '0']) + formatSample(0, 0, ['1', '1', '1']);
  const bytes = Buffer.from(text, 'utf8');
  const items: DecodedItem[] = [];
  for (let i = 0; i < bytes.length; i += 7) items.push(...d.push(bytes.subarray(i, i + 7), 1000 + i));
  const samples = items.flatMap((s) => (s.type === 'sample' ? [s] : []));
  assert.deepEqual(samples.map((s) => [...s.values]), [[1, 2, 3], [7, 8, 9], [0, 0, 0], [1, 1, 1]]);
  assert.deepEqual(samples.map((s) => s.counter), [WIRE_WRAP - 4, WIRE_WRAP - 2, WIRE_WRAP - 1, WIRE_WRAP]);
  assert.deepEqual(samples.map((s) => s.deviceTimeUs), [WIRE_WRAP - 40000, WIRE_WRAP - 20000, WIRE_WRAP - 10000, WIRE_WRAP]);
  assert.deepEqual(Object.fromEntries(d.badCounts), { 'no-crc': 1, crc: 1 });
});

test('legacy DIY lines: comma or semicolon separated numbers, numbered on arrival, bad ones counted', () => {
  const d = new LegacyLineDecoder(50);
  const items = d.push(Buffer.from('1.5,2;3\n4 ; 5,6\n7,8\n9,x,1\n\n'), 0);
  const samples = items.flatMap((s) => (s.type === 'sample' ? [s] : []));
  assert.deepEqual(samples.map((s) => [...s.values]), [[1.5, 2, 3], [4, 5, 6]]);
  assert.deepEqual(samples.map((s) => s.deviceTimeUs), [0, 20000]);
  assert.deepEqual(Object.fromEntries(d.badCounts), { 'field-count': 1, 'non-numeric': 1 });
});

test('legacy lines arriving with irregular gaps raise a jitter warning; regular arrivals do not', () => {
  const regular = new LegacyLineDecoder(100);
  const jittery = new LegacyLineDecoder(100);
  let warnRegular = 0;
  let warnJittery = 0;
  for (let i = 0; i <= JITTER_WINDOW; i++) {
    warnRegular += regular.push(Buffer.from('1,2\n'), i * 10).filter((x) => x.type === 'jitter').length;
    // bursts: ten lines at once every 100 ms, as a USB-serial adapter with a long latency timer delivers them
    warnJittery += jittery.push(Buffer.from('1,2\n'), Math.floor(i / 10) * 100).filter((x) => x.type === 'jitter').length;
  }
  assert.equal(warnRegular, 0);
  assert.equal(warnJittery, 1);
});

function pick(p: ReturnType<typeof parseLine>): [string, string?] {
  return p.type === 'bad' ? [p.type, p.reason] : [p.type];
}

test('the stream decoder keeps nothing of a chunk it was given: one read buffer, overwritten for every chunk, decodes the same', () => {
  // The serial driver reads every chunk into the same buffer (drivers/serial-reader.ts): a decoder that kept a view of
  // a partial line instead of a copy would join it with bytes of the next read.
  const lines = Array.from({ length: 50 }, (_, i) => formatSample(i, i * 10_000, [String(i), String(i * 2), String(-i)]));
  const bytes = Buffer.from(formatHeader(header) + lines.join(''), 'utf8');
  const fresh = new GaitlabLineDecoder();
  const reused = new GaitlabLineDecoder();
  const readBuffer = Buffer.alloc(64);
  const a: DecodedItem[] = [];
  const b: DecodedItem[] = [];
  for (let i = 0, step = 1; i < bytes.length; i += step, step = (step % 23) + 1) {
    const part = bytes.subarray(i, i + step);
    a.push(...fresh.push(Buffer.from(part), 0));
    part.copy(readBuffer);
    b.push(...reused.push(readBuffer.subarray(0, part.length), 0));
    readBuffer.fill(0x2c); // what the next read would overwrite it with
  }
  const values = (items: DecodedItem[]) => items.flatMap((s) => (s.type === 'sample' ? [[s.counter, ...s.values]] : []));
  assert.equal(values(a).length, 50);
  assert.deepEqual(values(b), values(a));
  assert.deepEqual([...reused.badCounts], []);
});

test('a line longer than the limit, split over many chunks, is one too-long line; the next line decodes', () => {
  const d = new GaitlabLineDecoder();
  const items = [...d.push(Buffer.from(formatHeader(header)), 0)];
  for (let i = 0; i < 10; i++) items.push(...d.push(Buffer.alloc(1000, 0x31), 0));
  items.push(...d.push(Buffer.from('1\n' + formatSample(7, 70, ['1', '2', '3'])), 0));
  assert.deepEqual(items.filter((x) => x.type === 'bad').map((x) => x.type === 'bad' && x.reason), ['too-long']);
  assert.deepEqual(items.flatMap((x) => (x.type === 'sample' ? [x.counter] : [])), [7]);
});
