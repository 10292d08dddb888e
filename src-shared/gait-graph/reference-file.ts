// The small file a lab shares a normative reference set in: JSON (one curve per line) or CSV (metadata lines
// `#key,value`, then a mean row and an SD row of 101 points per channel). Reading checks everything and fails on the
// first problem with file, line and field, so that nothing half-read is ever stored.
import { InputError } from '../domain/errors';

export const REFERENCE_FORMAT = 'gaitlab-reference';
export const REFERENCE_FORMAT_VERSION = 1;
export const CURVE_POINTS = 101;

export interface ReferenceFileCurve { channel: string; unit: string; nCycles: number; nSubjects: number; mean: number[]; sd: number[] }
export interface ReferenceFile {
  name: string;
  version: number;
  method: string;
  methodVersion: string;
  params: Record<string, unknown>;
  createdAt: string;
  members: { subjectId: string; trialId: string | null }[];
  nSubjects: number;
  nCycles: number;
  curves: ReferenceFileCurve[];
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

export function referenceToJson(r: ReferenceFile): string {
  const { curves, ...head } = r;
  const lines = curves.map((c) => JSON.stringify({ ...c, mean: c.mean.map(round), sd: c.sd.map(round) }));
  const headJson = JSON.stringify({ format: REFERENCE_FORMAT, formatVersion: REFERENCE_FORMAT_VERSION, ...head }, null, 1);
  return `${headJson.slice(0, -2)},\n "curves": [\n${lines.join(',\n')}\n ]\n}\n`;
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function referenceToCsv(r: ReferenceFile): string {
  const meta: [string, string][] = [
    ['format', `${REFERENCE_FORMAT} ${REFERENCE_FORMAT_VERSION}`], ['name', r.name], ['version', String(r.version)], ['method', r.method],
    ['method_version', r.methodVersion], ['params', JSON.stringify(r.params)], ['created_at', r.createdAt], ['n_subjects', String(r.nSubjects)],
    ['n_cycles', String(r.nCycles)], ['members', r.members.map((m) => (m.trialId ? `${m.subjectId}/${m.trialId}` : m.subjectId)).join(';')],
  ];
  const out = meta.map(([k, v]) => `#${k},${csvField(v)}`);
  out.push(['channel', 'unit', 'statistic', 'n_cycles', 'n_subjects', ...Array.from({ length: CURVE_POINTS }, (_, i) => `p${i}`)].join(','));
  for (const c of r.curves) {
    for (const stat of ['mean', 'sd'] as const) {
      out.push([csvField(c.channel), csvField(c.unit), stat, c.nCycles, c.nSubjects, ...c[stat].map(round)].join(','));
    }
  }
  return out.join('\n') + '\n';
}

/** Splits one CSV line (RFC 4180 quotes; a line holds one record). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Checks of one curve's fields, shared by both formats; `at(field)` names the line of the field. */
function checkCurve(c: Record<string, unknown>, file: string, at: (field: string) => number | null, seen: Set<string>): ReferenceFileCurve {
  const fail = (field: string, reason: string): never => { throw new InputError(file, at(field), field, reason); };
  if (typeof c.channel !== 'string' || !c.channel.trim() || c.channel.length > 128) fail('channel', 'expected a channel name (1–128 characters)');
  const channel = c.channel as string;
  if (seen.has(channel)) fail('channel', `channel ${channel} appears twice`);
  seen.add(channel);
  if (typeof c.unit !== 'string' || c.unit.length > 32) fail('unit', 'expected a unit (text up to 32 characters)');
  for (const f of ['nCycles', 'nSubjects']) {
    const v = c[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(f, `expected a whole number ≥ 1, found ${JSON.stringify(v)}`);
  }
  if ((c.nSubjects as number) > (c.nCycles as number)) fail('nSubjects', `${c.nSubjects} subjects but only ${c.nCycles} cycles`);
  for (const f of ['mean', 'sd']) {
    const v = c[f];
    if (!Array.isArray(v) || v.length !== CURVE_POINTS) fail(f, `expected ${CURVE_POINTS} points, found ${Array.isArray(v) ? v.length : typeof v}`);
    (v as unknown[]).forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${f}[${i}]`, `expected a finite number, found ${JSON.stringify(x)}`);
      if (f === 'sd' && (x as number) < 0) fail(`${f}[${i}]`, `a standard deviation cannot be negative (${x})`);
    });
  }
  return { channel, unit: c.unit as string, nCycles: c.nCycles as number, nSubjects: c.nSubjects as number, mean: c.mean as number[], sd: c.sd as number[] };
}

function checkHead(h: Record<string, unknown>, file: string, at: (field: string) => number | null): Omit<ReferenceFile, 'curves'> {
  const fail = (field: string, reason: string): never => { throw new InputError(file, at(field), field, reason); };
  const text = (f: string, max = 200): string => {
    const v = h[f];
    if (typeof v !== 'string' || !v.trim() || v.length > max) fail(f, `expected text (1–${max} characters)`);
    return v as string;
  };
  const whole = (f: string): number => {
    const v = h[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(f, `expected a whole number ≥ 1, found ${JSON.stringify(v)}`);
    return v as number;
  };
  if (h.format !== REFERENCE_FORMAT) fail('format', `expected "${REFERENCE_FORMAT}", found ${JSON.stringify(h.format)}`);
  if (h.formatVersion !== REFERENCE_FORMAT_VERSION) fail('formatVersion', `this GaitLab reads version ${REFERENCE_FORMAT_VERSION}, found ${JSON.stringify(h.formatVersion)}`);
  const params = h.params;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) fail('params', 'expected an object');
  const members = h.members;
  if (!Array.isArray(members)) fail('members', 'expected a list of members');
  const list = (members as unknown[]).map((m, i) => {
    const o = m as { subjectId?: unknown; trialId?: unknown };
    if (!o || typeof o.subjectId !== 'string' || !o.subjectId || (o.trialId !== null && o.trialId !== undefined && typeof o.trialId !== 'string')) {
      fail(`members[${i}]`, 'expected { subjectId, trialId }');
    }
    return { subjectId: o.subjectId as string, trialId: (o.trialId as string | undefined) ?? null };
  });
  return {
    name: text('name', 100), version: whole('version'), method: text('method', 64), methodVersion: text('methodVersion', 32),
    params: params as Record<string, unknown>, createdAt: typeof h.createdAt === 'string' ? h.createdAt : '', members: list,
    nSubjects: whole('nSubjects'), nCycles: whole('nCycles'),
  };
}

/** Line (1-based) of each `"key":` at the start of a value, the first one found after `from`. */
function lineOfKey(text: string, key: string, fromLine = 1): number | null {
  const lines = text.split('\n');
  for (let i = fromLine - 1; i < lines.length; i++) if (lines[i].includes(`"${key}"`)) return i + 1;
  return null;
}

export function parseReferenceJson(text: string, file: string): ReferenceFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    // Node names the offset of the bad character; a file cut short fails at its end.
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : /end of JSON/i.test((e as Error).message) ? text.split('\n').length : null;
    throw new InputError(file, line, null, `not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(file, 1, null, 'expected a JSON object');
  const h = doc as Record<string, unknown>;
  const head = checkHead(h, file, (f) => lineOfKey(text, f.replace(/\[.*$/, '')));
  if (!Array.isArray(h.curves) || h.curves.length === 0) throw new InputError(file, lineOfKey(text, 'curves'), 'curves', 'expected at least one curve');
  // Exports hold one curve per line after "curves": locate a curve's fields on its own line where the file keeps that.
  const curvesLine = lineOfKey(text, 'curves') ?? 1;
  const lines = text.split('\n');
  const seen = new Set<string>();
  const curves = (h.curves as unknown[]).map((c, i) => {
    if (!c || typeof c !== 'object') throw new InputError(file, null, `curves[${i}]`, 'expected an object');
    const own = curvesLine + 1 + i;
    const oneLine = lines[own - 1]?.trim().startsWith('{') && lines[own - 1].includes('"mean"');
    return checkCurve(c as Record<string, unknown>, file, (f) => (oneLine ? own : lineOfKey(text, f.replace(/\[.*$/, ''), curvesLine)), seen);
  });
  return { ...head, curves };
}

export function parseReferenceCsv(text: string, file: string): ReferenceFile {
  const lines = text.split(/\r?\n/);
  const meta: Record<string, { value: string; line: number }> = {};
  let headerLine = -1;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('#')) { headerLine = i; break; }
    const [k, ...rest] = splitCsv(lines[i].slice(1));
    meta[k] = { value: rest.join(','), line: i + 1 };
  }
  const metaLine = (f: string) => meta[f]?.line ?? meta[f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]?.line ?? 1;
  const [format, formatVersion] = (meta.format?.value ?? '').split(' ');
  let params: unknown;
  try {
    params = JSON.parse(meta.params?.value ?? '{}');
  } catch {
    throw new InputError(file, metaLine('params'), 'params', 'expected a JSON object');
  }
  const num = (f: string) => (meta[f] === undefined || meta[f].value.trim() === '' ? undefined : /^\d+$/.test(meta[f].value.trim()) ? Number(meta[f].value) : meta[f].value);
  const members = (meta.members?.value ?? '').split(';').filter(Boolean).map((m) => {
    const [subjectId, trialId] = m.split('/');
    return { subjectId, trialId: trialId ?? null };
  });
  const snake = (f: string) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  let head: Omit<ReferenceFile, 'curves'>;
  try {
    head = checkHead({
      format, formatVersion: Number(formatVersion), name: meta.name?.value, version: num('version'), method: meta.method?.value,
      methodVersion: meta.method_version?.value, params, createdAt: meta.created_at?.value, members, nSubjects: num('n_subjects'), nCycles: num('n_cycles'),
    }, file, metaLine);
  } catch (e) {
    // The CSV names its metadata lines in snake case (#n_subjects): name the field as the file does.
    if (e instanceof InputError && e.field) throw new InputError(file, e.line, snake(e.field), e.reason);
    throw e;
  }
  if (headerLine < 0 || !lines[headerLine].startsWith('channel,unit,statistic,n_cycles,n_subjects,p0')) {
    throw new InputError(file, headerLine < 0 ? lines.length : headerLine + 1, null, 'expected the header channel,unit,statistic,n_cycles,n_subjects,p0…p100');
  }
  const seen = new Set<string>();
  const curves: ReferenceFileCurve[] = [];
  const rows = lines.map((l, i) => ({ l, line: i + 1 })).slice(headerLine + 1).filter((r) => r.l.trim() !== '');
  for (let r = 0; r < rows.length; r += 2) {
    const mean = splitCsv(rows[r].l), sdRow = rows[r + 1] ? splitCsv(rows[r + 1].l) : null;
    if (mean[2] !== 'mean') throw new InputError(file, rows[r].line, 'statistic', `expected "mean", found "${mean[2] ?? ''}"`);
    if (!sdRow || sdRow[2] !== 'sd' || sdRow[0] !== mean[0]) {
      throw new InputError(file, rows[r + 1]?.line ?? rows[r].line + 1, 'statistic', `expected the "sd" row of ${mean[0]} after its mean row`);
    }
    const points = (cells: string[], line: number) => {
      if (cells.length !== 5 + CURVE_POINTS) throw new InputError(file, line, null, `expected ${5 + CURVE_POINTS} columns, found ${cells.length}`);
      return cells.slice(5).map((v) => (v.trim() === '' ? NaN : Number(v)));
    };
    const meanPts = points(mean, rows[r].line), sdPts = points(sdRow, rows[r + 1].line);
    const whole = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v) : Number.NaN);
    const curve = { channel: mean[0], unit: mean[1], nCycles: whole(mean[3]), nSubjects: whole(mean[4]), mean: meanPts, sd: sdPts };
    const lineOf = (f: string) => (f.startsWith('sd') ? rows[r + 1].line : rows[r].line);
    // Name CSV fields by their column so that a lab editing the file finds them.
    try {
      curves.push(checkCurve(curve, file, lineOf, seen));
    } catch (e) {
      if (!(e instanceof InputError) || !e.field) throw e;
      const m = /^(mean|sd)\[(\d+)\]$/.exec(e.field);
      const field = m ? `p${m[2]}` : ({ nCycles: 'n_cycles', nSubjects: 'n_subjects' } as Record<string, string>)[e.field] ?? e.field;
      throw new InputError(file, e.line, field, e.reason);
    }
  }
  if (curves.length === 0) throw new InputError(file, headerLine + 1, null, 'expected at least one channel');
  return { ...head, curves };
}

/** By the file's name: `.csv` is CSV, anything else JSON. */
export function parseReferenceFile(text: string, file: string): ReferenceFile {
  return /\.csv$/i.test(file) ? parseReferenceCsv(text, file) : parseReferenceJson(text, file);
}
