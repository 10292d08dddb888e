// PhysioNet gaitpdb walk files (GaCo01_01.txt …): 19 tab-separated columns, CRLF, no header,
// time in s then the vertical force of 8 insole sensors per foot and the two totals, in N.
// See ../shared/data/gaitpdb/README.md for the quirks handled here.
import type { ImportBatch, ImportedChannel } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import type { FormatModule, SourceFile } from './format';
import { parseNumericTable } from './numeric-table';
import { GAITPDB_COHORT, gaitpdbGroup, gaitpdbStudy } from './gaitpdb-cohort';
import { UNIT } from '../../src-shared/units';

export const GAITPDB_WALK_NAME = /^((Ga|Ju|Si)(Co|Pt)\d{2})_(\d{2})\.txt$/;
const COLUMNS = 19;

export const GAITPDB_CHANNELS: { name: string; side: 'left' | 'right' }[] = [
  ...Array.from({ length: 8 }, (_, k) => ({ name: `L${k + 1}`, side: 'left' as const })),
  ...Array.from({ length: 8 }, (_, k) => ({ name: `R${k + 1}`, side: 'right' as const })),
  { name: 'L_total', side: 'left' },
  { name: 'R_total', side: 'right' },
];

function columnName(col: number): string {
  return col === 0 ? 'time' : GAITPDB_CHANNELS[col - 1].name;
}

/** True when the first line holds 19 tab-separated plain decimals starting with time 0. */
function looksLikeWalk(head: Buffer): boolean {
  const end = head.indexOf(10);
  const line = head.subarray(0, end < 0 ? head.length : end).toString('latin1').replace(/\r$/, '');
  const fields = line.split('\t');
  return fields.length === COLUMNS && fields.every((f) => /^\d+(\.\d+)?$/.test(f)) && Number(fields[0]) === 0;
}

export const gaitpdbWalk: FormatModule = {
  id: 'gaitpdb-walk',
  description: 'PhysioNet gaitpdb insole walk (19 columns: time, L1–L8, R1–R8, totals; N)',
  order: 30,
  // A cohort file whose name states subject and walk (GaCo01_01.txt): the study's own session rule stands.
  visits: 'own',
  detect(name, head) {
    if (!looksLikeWalk(head)) return 0;
    return GAITPDB_WALK_NAME.test(name) ? 1 : 0.6;
  },
  read(file: SourceFile): ImportBatch {
    const m = GAITPDB_WALK_NAME.exec(file.name);
    if (!m) throw new InputError(file.path, null, 'file name', 'a gaitpdb walk is named like GaPt03_01.txt (study, group, subject, walk); cannot tell the subject');
    const [, subjectKey, studyCode, groupCode, walk] = m;
    const table = parseNumericTable(file.bytes, COLUMNS, file.path, columnName);
    if (table.rows < 2) throw new InputError(file.path, table.rows || 1, null, `a walk needs at least 2 samples, found ${table.rows}`);
    const time = table.columns[0];
    if (time[0] < 0) throw new InputError(file.path, 1, 'time', `time starts at ${time[0]} s, expected ≥ 0`);
    for (let r = 1; r < table.rows; r++) {
      const dt = time[r] - time[r - 1];
      // 0.0099 s steps are in the original data (README); anything non-increasing or far off is not.
      if (!(dt > 0) || dt > 0.1) throw new InputError(file.path, r + 1, 'time', `time step ${dt.toFixed(4)} s after ${time[r - 1]} s (expected about 0.01 s)`);
    }
    const durationS = time[table.rows - 1] - time[0];
    // The clock runs at ≈ 100.007 Hz (0.0099 s steps every ~142 samples): the rate is taken from the
    // time stamps, and the stamps themselves are kept as the device clock.
    const rateHz = (table.rows - 1) / durationS;
    const channels: ImportedChannel[] = GAITPDB_CHANNELS.map((c, k) => ({
      name: c.name,
      unit: UNIT.newton,
      rateHz,
      domain: 'time',
      side: c.side,
      samples: Float32Array.from(table.columns[k + 1]),
    }));
    const study = gaitpdbStudy(studyCode);
    const dualTask = walk === '10';
    return {
      format: 'gaitpdb-walk',
      subjects: [{ key: subjectKey, cohort: GAITPDB_COHORT, group: gaitpdbGroup(groupCode), attributes: { study: { value: studyCode } } }],
      sessions: [{
        subjectKey,
        key: study.code,
        label: study.label,
        trials: [{
          key: `${subjectKey}_${walk}`,
          label: dualTask ? `Walk ${walk} (dual task: serial 7s)` : `Walk ${walk}`,
          contentSha256: file.sha256,
          channels,
          deviceTimeS: Float64Array.from(time),
          attributes: {
            walk: { value: Number(walk) },
            condition: { value: dualTask ? 'dual-task' : 'usual' },
            rate_from_timestamps: { value: Number(rateHz.toFixed(4)), unit: 'Hz' },
          },
          sourceLocation: `lines 1–${table.rows}`,
        }],
      }],
      warnings: [],
    };
  },
};
