// What a format module hands to the store: plain data, no database handles.
// A format module reads files and returns these; the import service writes them in one transaction.

export type Side = 'left' | 'right' | 'both';

/** A metadata value with its unit where it has one (age in years, height in m, speed in m/s). */
export interface AttributeValue {
  value: number | string | null;
  unit?: string;
}
export type Attributes = Record<string, AttributeValue>;

/** The x axis of a channel: seconds for recordings, percent of stance/cycle for time-normalised curves. */
export type SampleDomain = 'time' | 'stance' | 'cycle';

export interface ImportedChannel {
  name: string;
  unit: string;
  /** Samples per second for domain 'time'; samples per 100 % otherwise (101 points → 1.01). */
  rateHz: number | null;
  domain: SampleDomain;
  side?: Side | null;
  /** The device or plate the channel came from ('FP1', 'left shank IMU'), where the file says. */
  device?: string | null;
  samples: Float32Array;
}

/** A gait event found in the source file (C3D EVENT group, annotated IMU files); detectors store theirs later. */
export interface ImportedEvent {
  /** e.g. 'initial_contact', 'final_contact' (heel strike / toe off), or the file's own label. */
  label: string;
  side: Side | null;
  timeS: number;
  /** Where the event came from: 'c3d:EVENT', 'annotation', … */
  source: string;
  confidence?: number | null;
  /** The threshold that produced the event, where one did. */
  threshold?: { value: number; unit: string } | null;
  /** Anything else the source says about the event (its context, description, detector parameters). */
  params?: Record<string, unknown>;
}

export interface ImportedTrial {
  /** Natural key, unique within its session (e.g. `GaCo01_01`, `trial-3`). */
  key: string;
  label: string;
  /** SHA-256 of the trial's content (the decompressed file for single-file trials). */
  contentSha256: string;
  channels: ImportedChannel[];
  /** Per-sample device clock, seconds, shared by every time-domain channel of the trial. */
  deviceTimeS?: Float64Array;
  attributes?: Attributes;
  /** Where the trial came from inside its source file (line range, row index, variable name). */
  sourceLocation?: string;
  events?: ImportedEvent[];
}

export interface ImportedSession {
  subjectKey: string;
  key: string;
  label: string;
  date?: string | null;
  condition?: string | null;
  attributes?: Attributes;
  trials: ImportedTrial[];
}

export interface ImportedSubject {
  /** The dataset's own subject id (e.g. `GaPt03`): identifying, stored apart from the pseudonym. */
  key: string;
  cohort: string;
  group?: string | null;
  sex?: 'male' | 'female' | null;
  attributes?: Attributes;
}

export interface ImportBatch {
  format: string;
  /** Subjects this file describes or needs. A subject already stored is matched on (cohort, key). */
  subjects: ImportedSubject[];
  sessions: ImportedSession[];
  warnings: string[];
}

