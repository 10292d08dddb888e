// The tidy tables as files: CSV (RFC 4180 via csv-stringify), Parquet (hyparquet-writer) or one HDF5 file (h5wasm),
// each with the data dictionary that names every column, its type and unit. Files go into a folder the caller
// renames into place, so a failed export leaves nothing half-written where the user looks.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { importEsm } from '../../esm-import';
import { loadH5wasm } from '../../formats/apdm-opal';
import { CYCLE_POINTS, type ColumnSpec, type ExportTable } from './tables';

export type TableFormat = 'csv' | 'parquet' | 'hdf5';

/** Writes the tables into `dir`; returns the file names written. */
export async function writeTables(dir: string, tables: ExportTable[], format: TableFormat): Promise<string[]> {
  const files: string[] = [];
  if (format === 'csv') {
    for (const t of tables) files.push(writeCsv(dir, `${t.name}.csv`, t.columns.map((c) => c.name), t.rows));
  } else if (format === 'parquet') {
    for (const t of tables) files.push(await writeParquet(dir, t));
  } else {
    files.push(await writeHdf5(dir, tables));
  }
  files.push(writeDictionary(dir, tables, format));
  return files;
}

export function writeCsv(dir: string, name: string, header: string[], rows: (string | number | null)[][]): string {
  // Numbers as JavaScript prints them (shortest exact round trip), missing values as empty fields.
  const text = stringify([header, ...rows.map((r) => r.map((v) => (v === null || (typeof v === 'number' && !Number.isFinite(v)) ? '' : v)))], { eof: true });
  writeFileSync(join(dir, name), text);
  return name;
}

function writeDictionary(dir: string, tables: ExportTable[], format: TableFormat): string {
  const where = (t: ExportTable) => (format === 'csv' ? `${t.name}.csv` : format === 'parquet' ? `${t.name}.parquet` : `cohort.h5:/${t.name}`);
  const rows: string[][] = [];
  for (const t of tables) {
    for (const c of hdf5Columns(t, format)) rows.push([where(t), c.name, c.type, c.unit ?? '', c.description]);
  }
  return writeCsv(dir, 'data-dictionary.csv', ['file', 'column', 'type', 'unit', 'description'], rows);
}

/** HDF5 holds a cycle's 101 points as one row of a 2-D dataset `curve`, not as 101 columns. */
function hdf5Columns(t: ExportTable, format: TableFormat): ColumnSpec[] {
  if (format !== 'hdf5' || t.name !== 'cycles') return t.columns;
  const head = t.columns.slice(0, t.columns.length - CYCLE_POINTS);
  return [...head, { name: 'curve', type: 'number', unit: 'see unit', description: `cycles × ${CYCLE_POINTS} points (0, 1, …, 100 % of the cycle), float32` }];
}

type ParquetColumn = { name: string; data: unknown[]; type: 'STRING' | 'DOUBLE' | 'INT32'; nullable: boolean };
interface HyparquetWriter { parquetWriteBuffer(o: { columnData: ParquetColumn[]; kvMetadata?: { key: string; value: string }[]; createdBy?: string }): ArrayBuffer }

async function writeParquet(dir: string, t: ExportTable): Promise<string> {
  const { parquetWriteBuffer } = await importEsm<HyparquetWriter>('hyparquet-writer');
  const columnData: ParquetColumn[] = t.columns.map((c, k) => ({
    name: c.name,
    type: c.type === 'string' ? 'STRING' : c.type === 'int' ? 'INT32' : 'DOUBLE',
    nullable: true,
    data: t.rows.map((r) => {
      const v = r[k];
      if (v === null || v === undefined) return null;
      if (c.type === 'string') return String(v);
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    }),
  }));
  const units = Object.fromEntries(t.columns.filter((c) => c.unit).map((c) => [c.name, c.unit]));
  const buf = parquetWriteBuffer({ columnData, kvMetadata: [{ key: 'gaitlab.units', value: JSON.stringify(units) }, { key: 'gaitlab.table', value: t.description }], createdBy: 'GaitLab' });
  const name = `${t.name}.parquet`;
  writeFileSync(join(dir, name), Buffer.from(buf));
  return name;
}

async function writeHdf5(dir: string, tables: ExportTable[]): Promise<string> {
  const h5 = await loadH5wasm();
  const name = 'cohort.h5';
  const file = new h5.File(join(dir, name), 'w');
  try {
    file.create_attribute('created_by', 'GaitLab');
    for (const t of tables) {
      const g = file.create_group(t.name);
      g.create_attribute('description', t.description);
      g.create_attribute('rows', t.rows.length);
      const curveFrom = t.name === 'cycles' ? t.columns.length - CYCLE_POINTS : t.columns.length;
      for (let k = 0; k < curveFrom; k++) {
        const c = t.columns[k];
        const values = t.rows.map((r) => r[k]);
        // Strings as variable-length UTF-8 (empty for missing); numbers as float64 with NaN for missing.
        const ds = c.type === 'string'
          ? g.create_dataset({ name: c.name, data: values.map((v) => (v === null ? '' : String(v))) })
          : g.create_dataset({ name: c.name, data: Float64Array.from(values, (v) => (typeof v === 'number' ? v : NaN)) });
        ds.create_attribute('description', c.description);
        if (c.unit) ds.create_attribute('unit', c.unit);
      }
      if (curveFrom < t.columns.length) {
        const n = t.rows.length;
        const curve = new Float32Array(n * CYCLE_POINTS);
        t.rows.forEach((r, i) => {
          for (let p = 0; p < CYCLE_POINTS; p++) curve[i * CYCLE_POINTS + p] = (r[curveFrom + p] as number | null) ?? NaN;
        });
        const ds = g.create_dataset({ name: 'curve', data: curve, shape: [n, CYCLE_POINTS], compression: n > 0 ? 'gzip' : undefined, chunks: n > 0 ? [Math.min(n, 1024), CYCLE_POINTS] : undefined });
        ds.create_attribute('description', `cycles × ${CYCLE_POINTS} points (0, 1, …, 100 % of the cycle); unit per row in 'unit'`);
      }
    }
  } finally {
    file.close();
  }
  return name;
}
