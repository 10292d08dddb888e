// PhysioNet gaitpdb demographics.txt: one subject per row, tab-separated, CRLF, NaN for missing,
// trailing tabs that vary by row, 69 tab-only lines at the end, heights in m (Ga, Si) or cm (Ju).
import type { Attributes, ImportBatch, ImportedSubject } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import type { FormatModule, SourceFile } from './format';
import { GAITPDB_COHORT } from './gaitpdb-cohort';

const HEADER = ['ID', 'Study', 'Group', 'Subjnum', 'Gender', 'Age', 'Height', 'Weight', 'HoehnYahr', 'UPDRS', 'UPDRSM', 'TUAG',
  'Speed_01', 'Speed_02', 'Speed_03', 'Speed_04', 'Speed_05', 'Speed_06', 'Speed_07', 'Speed_10'];

/** Numeric columns → attribute key and unit. */
const NUMERIC: { column: string; key: string; unit?: string }[] = [
  { column: 'Subjnum', key: 'study_subject_number' },
  { column: 'Age', key: 'age', unit: 'years' },
  { column: 'Height', key: 'height', unit: 'm' },
  { column: 'Weight', key: 'weight', unit: 'kg' },
  { column: 'HoehnYahr', key: 'hoehn_yahr', unit: 'stage' },
  { column: 'UPDRS', key: 'updrs', unit: 'points' },
  { column: 'UPDRSM', key: 'updrs_motor', unit: 'points' },
  { column: 'TUAG', key: 'tuag', unit: 's' },
  ...['01', '02', '03', '04', '05', '06', '07', '10'].map((w) => ({ column: `Speed_${w}`, key: `speed_walk_${w}`, unit: 'm/s' })),
];

function parseNumberField(text: string, file: string, line: number, field: string): number | null {
  if (text === 'NaN') return null;
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new InputError(file, line, field, `expected a number or NaN, found "${text.slice(0, 40)}"`);
  return Number(text);
}

export const gaitpdbDemographics: FormatModule = {
  id: 'gaitpdb-demographics',
  description: 'PhysioNet gaitpdb demographics.txt (subjects, H&Y, UPDRS, TUAG, speeds)',
  order: 5,
  // A table of the cohort's subjects: no recordings to group.
  visits: 'own',
  detect(_name, head) {
    return head.subarray(0, 64).toString('latin1').startsWith('ID\tStudy\tGroup\tSubjnum\tGender') ? 1 : 0;
  },
  read(file: SourceFile): ImportBatch {
    const lines = file.bytes.toString('utf8').split('\n');
    const header = lines[0].replace(/\r$/, '').split('\t');
    for (let k = 0; k < HEADER.length; k++) {
      if (header[k] !== HEADER[k]) throw new InputError(file.path, 1, HEADER[k], `header column ${k + 1} is "${header[k] ?? ''}", expected "${HEADER[k]}"`);
    }
    const subjects: ImportedSubject[] = [];
    const warnings: string[] = [];
    const seen = new Map<string, number>();
    for (let i = 1; i < lines.length; i++) {
      const lineNo = i + 1;
      const raw = lines[i].replace(/\r$/, '');
      if (raw.trim() === '') continue; // the trailing tab-only lines (and a final empty line)
      const fields = raw.split('\t');
      for (let k = HEADER.length; k < fields.length; k++) {
        if (fields[k] !== '') throw new InputError(file.path, lineNo, `column ${k + 1}`, `unexpected value "${fields[k].slice(0, 40)}" after the ${HEADER.length} named columns`);
      }
      if (fields.length < HEADER.length) throw new InputError(file.path, lineNo, null, `expected ${HEADER.length} columns, found ${fields.length}`);
      const get = (name: string) => fields[HEADER.indexOf(name)];
      const id = get('ID');
      if (!/^[A-Za-z]{3,4}\d{2,3}$/.test(id)) throw new InputError(file.path, lineNo, 'ID', `unexpected subject id "${id}"`);
      if (seen.has(id)) throw new InputError(file.path, lineNo, 'ID', `subject ${id} appears again (first on line ${seen.get(id)})`);
      seen.set(id, lineNo);
      const study = get('Study');
      if (!['Ga', 'Ju', 'Si'].includes(study)) throw new InputError(file.path, lineNo, 'Study', `unknown study "${study}"`);
      const group = get('Group');
      if (group !== '1' && group !== '2') throw new InputError(file.path, lineNo, 'Group', `expected 1 (PD) or 2 (control), found "${group}"`);
      const gender = get('Gender');
      if (gender !== '1' && gender !== '2') throw new InputError(file.path, lineNo, 'Gender', `expected 1 (male) or 2 (female), found "${gender}"`);

      const attributes: Attributes = { study: { value: study } };
      for (const n of NUMERIC) {
        let v = parseNumberField(get(n.column), file.path, lineNo, n.column);
        if (v === null) continue;
        if (n.column === 'Height') {
          // Ju writes centimetres, Ga and Si metres; no adult is 3 m tall or 3 cm short.
          if (v > 3) v = Math.round(v * 10) / 1000;
          if (v < 0.5 || v > 2.5) throw new InputError(file.path, lineNo, 'Height', `implausible height ${get('Height')}`);
        }
        attributes[n.key] = n.unit ? { value: v, unit: n.unit } : { value: v };
      }
      if (!/^(Ga|Ju|Si)(Co|Pt)\d{2}$/.test(id)) {
        warnings.push(`${file.path} line ${lineNo}: subject id "${id}" does not follow the walk-file naming (e.g. JuCo10); no walk file can match it`);
      }
      subjects.push({
        key: id,
        cohort: GAITPDB_COHORT,
        group: group === '1' ? 'PD' : 'control',
        sex: gender === '1' ? 'male' : 'female',
        attributes,
      });
    }
    if (subjects.length === 0) throw new InputError(file.path, 2, null, 'no subject rows');
    return { format: 'gaitpdb-demographics', subjects, sessions: [], warnings };
  },
};
