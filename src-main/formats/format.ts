import type { ImportBatch } from '../../src-shared/domain/import-batch';

/** One input file, already decompressed (`.gz` is transparent) and hashed. */
export interface SourceFile {
  /** Path as the user gave it (for messages). */
  path: string;
  /** File name without a trailing `.gz` (e.g. `GaCo01_01.txt`). */
  name: string;
  /** Decompressed content. */
  bytes: Buffer;
  /** SHA-256 of the decompressed content, hex. */
  sha256: string;
}

/**
 * One file format. A format module never opens the database: it turns a file into an ImportBatch,
 * or throws an InputError naming file, line and field.
 */
export interface FormatModule {
  id: string;
  description: string;
  /** Files of lower order are imported first within one run (metadata before recordings). */
  order: number;
  /**
   * How the import files this format's recordings into visits (services/visit-grouping.ts):
   * 'folder' — a file is one trial of a visit, as labs store them: the files of one folder with the same subject
   * are one session named after the folder, dated by the files or else by their newest modification time;
   * 'own' — the file itself names subject and visit (a published cohort's layout), and the format's keys stand.
   */
  visits: 'folder' | 'own';
  /** Confidence 0..1 that `head` (the first ≤ 64 KiB of decompressed content) is this format. */
  detect(name: string, head: Buffer): number;
  read(file: SourceFile): ImportBatch | Promise<ImportBatch>;
}
