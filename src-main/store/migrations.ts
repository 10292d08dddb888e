// Versioned schema migrations, applied in order at open. Never edit a released migration: add one.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'subjects, sessions, trials, signals, events, cycles, models, jobs, reports, audit log',
    sql: `
-- A subject is known by a random pseudonym (id). What could identify a person lives in subject_identity.
CREATE TABLE subjects (
  id          TEXT PRIMARY KEY,
  cohort      TEXT NOT NULL,
  group_label TEXT,
  sex         TEXT CHECK (sex IN ('male', 'female') OR sex IS NULL),
  created_at  TEXT NOT NULL
);
CREATE INDEX subjects_cohort_group ON subjects (cohort, group_label);

CREATE TABLE subject_identity (
  subject_id   TEXT PRIMARY KEY REFERENCES subjects (id) ON DELETE CASCADE,
  external_id  TEXT NOT NULL,   -- the source's own id (e.g. GaPt03)
  display_name TEXT,
  birth_date   TEXT,
  notes        TEXT
);
CREATE UNIQUE INDEX subject_identity_external ON subject_identity (external_id, subject_id);

-- Free-form metadata with units (age years, height m, UPDRS points, ...); one row per key.
CREATE TABLE subject_attributes (
  subject_id TEXT NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  value_num  REAL,
  value_text TEXT,
  unit       TEXT,
  PRIMARY KEY (subject_id, key)
);

CREATE TABLE sessions (
  id         TEXT PRIMARY KEY,
  subject_id TEXT NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  label      TEXT NOT NULL,
  date       TEXT,
  condition  TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (subject_id, key)
);

CREATE TABLE session_attributes (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  value_num  REAL,
  value_text TEXT,
  unit       TEXT,
  PRIMARY KEY (session_id, key)
);

-- One row per imported file content under one name: re-importing it is recognised, not repeated.
CREATE TABLE source_files (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  format      TEXT NOT NULL,
  bytes       INTEGER NOT NULL,
  path        TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  import_id   INTEGER REFERENCES imports (id),
  UNIQUE (name, sha256)
);

CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  actor       TEXT NOT NULL,
  paths       TEXT NOT NULL,   -- JSON array
  summary     TEXT             -- JSON
);

CREATE TABLE trials (
  id             TEXT PRIMARY KEY,
  session_id     TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  key            TEXT NOT NULL,
  label          TEXT NOT NULL,
  source_file_id INTEGER REFERENCES source_files (id),
  source_location TEXT,
  content_sha256 TEXT,
  duration_s     REAL,
  created_at     TEXT NOT NULL,
  UNIQUE (session_id, key)
);
CREATE INDEX trials_content ON trials (content_sha256);

CREATE TABLE trial_attributes (
  trial_id   TEXT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  value_num  REAL,
  value_text TEXT,
  unit       TEXT,
  PRIMARY KEY (trial_id, key)
);

-- Per-sample clocks of a trial: the device's time stamps and, for live recordings, the host's.
CREATE TABLE trial_clocks (
  trial_id TEXT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  clock    TEXT NOT NULL CHECK (clock IN ('device', 'host')),
  samples  INTEGER NOT NULL,
  encoding TEXT NOT NULL,
  data     BLOB NOT NULL,
  PRIMARY KEY (trial_id, clock)
);

CREATE TABLE signals (
  id         INTEGER PRIMARY KEY,
  trial_id   TEXT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  channel    TEXT NOT NULL,
  unit       TEXT NOT NULL,
  rate_hz    REAL,
  domain     TEXT NOT NULL CHECK (domain IN ('time', 'stance', 'cycle')),
  side       TEXT,
  samples    INTEGER NOT NULL,
  encoding   TEXT NOT NULL,
  data       BLOB NOT NULL,
  device     TEXT,
  position   INTEGER NOT NULL,   -- channel order within the trial
  UNIQUE (trial_id, channel)
);

CREATE TABLE gait_events (
  id          INTEGER PRIMARY KEY,
  trial_id    TEXT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  label       TEXT NOT NULL,            -- e.g. initial_contact, toe_off
  side        TEXT,
  time_s      REAL NOT NULL,
  source      TEXT NOT NULL,            -- detector name, 'c3d', 'manual', ...
  threshold   REAL,
  threshold_unit TEXT,
  params      TEXT,                     -- JSON of the detector's parameters
  confidence  REAL,
  manual      INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL
);
CREATE INDEX gait_events_trial ON gait_events (trial_id, time_s);

CREATE TABLE cycles (
  id        INTEGER PRIMARY KEY,
  trial_id  TEXT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  channel   TEXT NOT NULL,
  side      TEXT,
  kind      TEXT NOT NULL CHECK (kind IN ('stance', 'gait_cycle')),
  start_s   REAL NOT NULL,
  end_s     REAL NOT NULL,
  points    INTEGER NOT NULL,
  encoding  TEXT NOT NULL,
  curve     BLOB NOT NULL,               -- time-normalised curve, float32
  unit      TEXT NOT NULL,
  flags     TEXT,                        -- JSON: incomplete, implausible, ...
  created_at TEXT NOT NULL
);
CREATE INDEX cycles_trial ON cycles (trial_id, side);

CREATE TABLE models (
  id         TEXT PRIMARY KEY,
  method     TEXT NOT NULL,
  name       TEXT NOT NULL,
  params     TEXT NOT NULL,              -- JSON
  metrics    TEXT,                       -- JSON
  artefact   BLOB,
  created_at TEXT NOT NULL
);

CREATE TABLE jobs (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  params      TEXT NOT NULL,
  progress    REAL NOT NULL DEFAULT 0,
  result      TEXT,
  error       TEXT,
  created_at  TEXT NOT NULL,
  started_at  TEXT,
  finished_at TEXT
);

CREATE TABLE reports (
  id         TEXT PRIMARY KEY,
  subject_id TEXT REFERENCES subjects (id) ON DELETE SET NULL,
  model_id   TEXT REFERENCES models (id) ON DELETE SET NULL,
  kind       TEXT NOT NULL,
  content    TEXT NOT NULL,              -- JSON report model
  pdf        BLOB,
  created_at TEXT NOT NULL
);

-- Append-only: each row carries the hash of the previous row; triggers forbid UPDATE and DELETE.
CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  TEXT,
  old_value  TEXT,
  new_value  TEXT,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`,
  },
  {
    version: 2,
    description: 'audit log: content hashes of the entities each row changed; a random database id for the anchor',
    sql: `
-- JSON array of [entity key, SHA-256 of its rows after the change or "deleted", label]; covered by the row's hash.
-- Rows written before version 2 keep NULL here and their hashes stay valid.
ALTER TABLE audit_log ADD COLUMN content TEXT;

-- The database's identity, named in the audit anchor beside the file so that one database's anchor cannot
-- vouch for another.
CREATE TABLE audit_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO audit_meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
`,
  },
  {
    version: 3,
    description: 'method runs as rows of their own; events and cycles point at the run that produced them',
    sql: `
-- One row per run of a method (detector, cycle extraction, model fit …): what ran, with which parameters, on
-- which inputs (trial ids with content hashes, the events it read with their hash), what it gave, when, by whom.
CREATE TABLE method_runs (
  id          INTEGER PRIMARY KEY,
  method      TEXT NOT NULL,
  version     TEXT NOT NULL,
  role        TEXT NOT NULL,             -- 'gait-events', 'cycles', 'classifier', …
  params      TEXT NOT NULL,             -- JSON: every parameter, defaults included
  seed        INTEGER,
  trial_id    TEXT REFERENCES trials (id) ON DELETE CASCADE,   -- the trial it ran on, when it ran on one
  inputs      TEXT NOT NULL,             -- JSON
  outputs     TEXT NOT NULL,             -- JSON summary (counts, metrics)
  started_at  TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  actor       TEXT NOT NULL
);
CREATE INDEX method_runs_trial ON method_runs (trial_id, role, id);

ALTER TABLE gait_events ADD COLUMN run_id INTEGER REFERENCES method_runs (id) ON DELETE SET NULL;
ALTER TABLE cycles ADD COLUMN run_id INTEGER REFERENCES method_runs (id) ON DELETE SET NULL;

-- Detections made before this version were recorded in the audit log only: each trial's last run of each
-- detector becomes a run row (version 0.0.0: made before methods had versions) and its events point at it.
INSERT INTO method_runs (method, version, role, params, seed, trial_id, inputs, outputs, started_at, finished_at, actor)
SELECT json_extract(a.new_value, '$.source'), '0.0.0', 'gait-events', COALESCE(json_extract(a.new_value, '$.params'), '{}'), NULL, a.entity_id,
       json_object('trials', json_array(json_object('trialId', a.entity_id, 'contentSha256', t.content_sha256)), 'fromAuditSeq', a.seq),
       json_object('events', json_extract(a.new_value, '$.events')), a.at, a.at, a.actor
  FROM audit_log a JOIN trials t ON t.id = a.entity_id
 WHERE a.action = 'detect-events' AND a.entity = 'trial'
   AND a.seq = (SELECT MAX(b.seq) FROM audit_log b WHERE b.action = 'detect-events' AND b.entity = 'trial' AND b.entity_id = a.entity_id
                  AND json_extract(b.new_value, '$.source') = json_extract(a.new_value, '$.source'))
 ORDER BY a.seq;
UPDATE gait_events SET run_id = (SELECT MAX(r.id) FROM method_runs r WHERE r.trial_id = gait_events.trial_id AND r.method = gait_events.source)
 WHERE manual = 0;
`,
  },
  {
    // Jobs in worker processes (issue 13 §4).
    version: 4,
    description: 'jobs run in worker processes (stage, ETA, heartbeat, cancel flag, log lines); models with their provenance',
    sql: `
ALTER TABLE jobs ADD COLUMN stage TEXT;
ALTER TABLE jobs ADD COLUMN eta_s REAL;
ALTER TABLE jobs ADD COLUMN heartbeat_at TEXT;
-- Set by whoever cancels (any process); the worker polls it between units of work.
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
-- The worker process running (or waiting to run) the job, so that a dead one is seen at once on its host.
ALTER TABLE jobs ADD COLUMN worker_pid INTEGER;
ALTER TABLE jobs ADD COLUMN worker_host TEXT;
ALTER TABLE jobs ADD COLUMN model_id TEXT;
ALTER TABLE jobs ADD COLUMN actor TEXT;
CREATE INDEX jobs_status ON jobs (status, created_at);

CREATE TABLE job_log (
  id     INTEGER PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  at     TEXT NOT NULL,
  line   TEXT NOT NULL
);
CREATE INDEX job_log_job ON job_log (job_id, id);

-- What it takes to trace and reproduce a model: the artefact holds the weights (see store/models.ts).
ALTER TABLE models ADD COLUMN method_version TEXT;
ALTER TABLE models ADD COLUMN job_id TEXT;
ALTER TABLE models ADD COLUMN architecture TEXT;      -- JSON
ALTER TABLE models ADD COLUMN weights_manifest TEXT;  -- JSON: name, shape, dtype, byte offset of each tensor
ALTER TABLE models ADD COLUMN data_selection TEXT;    -- JSON: trial ids and content hashes, split
ALTER TABLE models ADD COLUMN preprocessing TEXT;     -- JSON
ALTER TABLE models ADD COLUMN seed INTEGER;
ALTER TABLE models ADD COLUMN backend TEXT;
ALTER TABLE models ADD COLUMN gaitlab_version TEXT;
ALTER TABLE models ADD COLUMN actor TEXT;
`,
  },
  {
    version: 5,
    description: "the lab's own records: record number and contact in the identity table, the date a score was taken",
    sql: `
-- Identifying, like the rest of subject_identity: shown only in the lab's own views, never in audit values.
ALTER TABLE subject_identity ADD COLUMN record_number TEXT;
ALTER TABLE subject_identity ADD COLUMN contact TEXT;
CREATE INDEX subject_identity_record ON subject_identity (record_number);
-- A clinical score (UPDRS, EDSS, GMFCS, ...) is worth little without the day it was taken.
ALTER TABLE subject_attributes ADD COLUMN taken_on TEXT;
`,
  },
  {
    // Horst 2019 + LRP (issue 14, methods-spec §5.1.7): one relevance map per trial, model, run and composite.
    version: 6,
    description: 'LRP relevance maps of Horst models, one per trial, model, run and composite (methods-spec §5.1.7)',
    sql: `
-- Derived data, recomputable from the model and the trial (like method_runs, not in the audit log); it goes
-- with its model or trial. Inputs are not duplicated: they are re-derived from the trial and the scaling
-- constants of the run (models.preprocessing, runs[run]).
CREATE TABLE relevance_maps (
  id               INTEGER PRIMARY KEY,
  model_id         TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  trial_id         TEXT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  subject_id       TEXT NOT NULL,
  dataset          TEXT NOT NULL,               -- the model's data selection (cohort, session)
  task             TEXT NOT NULL,
  model_kind       TEXT NOT NULL,
  model_hash       TEXT NOT NULL,               -- sha256 of the model's weights
  run              INTEGER NOT NULL,            -- the run in which the trial was a test trial
  run_seed         INTEGER NOT NULL,
  composite        TEXT NOT NULL,
  target_index     INTEGER NOT NULL,            -- the explained (true) class
  target_label     TEXT NOT NULL,
  predicted_index  INTEGER NOT NULL,
  predicted_label  TEXT NOT NULL,
  logits           BLOB NOT NULL,               -- K float64, little-endian
  explained_logit  REAL NOT NULL,
  samples          INTEGER NOT NULL,            -- T = 101
  channels         TEXT NOT NULL,               -- JSON: channel names, in the model's order
  relevance        BLOB NOT NULL,               -- float32, little-endian, channel-major (c·T + t), unnormalised
  relevance_sum    REAL NOT NULL,
  residual         REAL NOT NULL,               -- explained_logit − relevance_sum
  scaling_ref      TEXT NOT NULL,               -- where the run's scaling constants are stored
  gaitlab_version  TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  UNIQUE (model_id, trial_id, composite)
);
CREATE INDEX relevance_maps_subject ON relevance_maps (model_id, composite, subject_id);
CREATE INDEX relevance_maps_trial ON relevance_maps (trial_id);
`,
  },
  {
    // 7, not 6: the number issue 22 gave this change (another branch takes 6; the integrator merges them).
    version: 7,
    description: 'gait cycles carry the event source they were cut from and their foot-off and opposite-foot events',
    sql: `
-- 'file', 'plates', 'kinematic', 'manual' or 'detector' (with '+manual' where corrections joined the set);
-- NULL for cycles extracted before this version.
ALTER TABLE cycles ADD COLUMN event_source TEXT;
-- JSON: footOffPercent, oppositeFootOffPercent, oppositeFootStrikePercent (% of the cycle, null where absent).
ALTER TABLE cycles ADD COLUMN phase_events TEXT;
`,
  },
  {
    // Normative reference sets for the gait graph and the Gait Profile Score (issue 22).
    version: 8,
    description: 'normative reference sets: named and versioned, with their members, method and mean ± SD curves per channel',
    sql: `
CREATE TABLE reference_sets (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  version        INTEGER NOT NULL,
  method         TEXT NOT NULL,
  method_version TEXT NOT NULL,
  params         TEXT NOT NULL,   -- JSON: the group or cohort chosen, channels asked for, pooling
  origin         TEXT NOT NULL,   -- 'built' here, or 'imported' from another lab's file
  source_file    TEXT,            -- the imported file's name
  n_subjects     INTEGER NOT NULL,
  n_cycles       INTEGER NOT NULL,
  created_at     TEXT NOT NULL,
  actor          TEXT NOT NULL,
  UNIQUE (name, version)
);

-- Who the reference was built from. No foreign key: a reference keeps its members' pseudonyms and trials'
-- content hashes after they are deleted, as a model keeps its data selection.
CREATE TABLE reference_members (
  reference_id   TEXT NOT NULL REFERENCES reference_sets (id) ON DELETE CASCADE,
  subject_id     TEXT NOT NULL,
  trial_id       TEXT,
  content_sha256 TEXT
);
CREATE INDEX reference_members_ref ON reference_members (reference_id);

-- One row per channel (named without a subject prefix): 101-point mean and SD as JSON arrays.
CREATE TABLE reference_curves (
  reference_id TEXT NOT NULL REFERENCES reference_sets (id) ON DELETE CASCADE,
  channel      TEXT NOT NULL,
  unit         TEXT NOT NULL,
  n_cycles     INTEGER NOT NULL,
  n_subjects   INTEGER NOT NULL,
  mean         TEXT NOT NULL,
  sd           TEXT NOT NULL,
  PRIMARY KEY (reference_id, channel)
);
`,
  },
  {
    // Version 9 is this feature's number (6–8 are taken by work merged alongside it).
    version: 9,
    description: 'live recordings: recording status of trials, recorder heartbeat, sample chunks, gaps',
    sql: `
-- NULL for imported trials; 'recording' while a recorder writes it, then 'closed' or, after a crash, 'interrupted'.
ALTER TABLE trials ADD COLUMN recording_status TEXT CHECK (recording_status IN ('recording', 'closed', 'interrupted'));

-- One row per recorded trial (one device of a recording run): what the device declared, who records it, and
-- the clock fit host_ms = clock_offset_ms + clock_slope · device_ms that puts it on the run's time base.
CREATE TABLE recordings (
  trial_id        TEXT PRIMARY KEY REFERENCES trials (id) ON DELETE CASCADE,
  run_id          TEXT NOT NULL,          -- devices recorded together share it and its time base
  device_id       TEXT NOT NULL,
  device_kind     TEXT NOT NULL,
  port            TEXT,
  rate_hz         REAL NOT NULL,          -- nominal, as declared by the device
  channels        TEXT NOT NULL,          -- JSON [{name, unit, side}]
  origin_host_ms  REAL NOT NULL,          -- host time (epoch ms) of the run's time zero
  recorder_pid    INTEGER,
  recorder_host   TEXT,
  heartbeat_at    TEXT,
  started_at      TEXT NOT NULL,
  stopped_at      TEXT,
  samples         INTEGER NOT NULL DEFAULT 0,
  bad_lines       TEXT,                   -- JSON {reason: count}
  clock_offset_ms REAL,
  clock_slope     REAL
);
CREATE INDEX recordings_run ON recordings (run_id);

-- Samples as they arrive, committed at least every 250 ms; folded into signals and trial_clocks when the trial
-- is closed (or found interrupted), then deleted. values: sample-major float32 (samples × channels).
CREATE TABLE recording_chunks (
  trial_id    TEXT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  samples     INTEGER NOT NULL,
  counter     BLOB NOT NULL,
  device_time BLOB NOT NULL,              -- µs, unwrapped
  host_time   BLOB NOT NULL,              -- epoch ms
  vals        BLOB NOT NULL,
  PRIMARY KEY (trial_id, seq)
);

-- Where samples are missing: a silent link (watchdog) or a jump of the device counter (samples lost on the link).
CREATE TABLE recording_gaps (
  id            INTEGER PRIMARY KEY,
  trial_id      TEXT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('silence', 'lost-samples')),
  start_host_ms REAL NOT NULL,
  end_host_ms   REAL,
  detected_ms   REAL,                     -- how long after the last sample the gap was detected
  from_counter  REAL,
  missing       INTEGER
);
CREATE INDEX recording_gaps_trial ON recording_gaps (trial_id, start_host_ms);
`,
  },
  {
    version: 10,
    description: 'issued reports are immutable: their content cannot be changed, only re-issued',
    sql: `
-- A report once issued is what the clinician read: a later analysis issues a new report. Moving a report with
-- its subject (merge) or unlinking it (subject deleted) changes subject_id only, which stays allowed.
CREATE TRIGGER reports_immutable BEFORE UPDATE OF id, kind, content, pdf, created_at, model_id ON reports
BEGIN
  SELECT RAISE(ABORT, 'an issued report cannot be changed; issue a new one');
END;
`,
  },
  {
    // Issue 14 (Horst on insole gait cycles): a model of cycles has one input row per cycle, so its maps are one
    // per cycle (§5.1.7 "one per input, model and run"); version 11 is this change's number.
    version: 11,
    description: 'relevance maps of models of gait cycles: one per cycle (row_key = trial @ stride start), trial models keep one per trial',
    sql: `
-- SQLite cannot change a UNIQUE constraint in place: the table is rebuilt with its rows (row_key '' for a map of
-- a whole trial) and its indexes. Nothing references relevance_maps.
CREATE TABLE relevance_maps_v11 (
  id               INTEGER PRIMARY KEY,
  model_id         TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  trial_id         TEXT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  row_key          TEXT NOT NULL DEFAULT '',     -- '' for a trial; 'trial@startS' for one gait cycle of it
  subject_id       TEXT NOT NULL,
  dataset          TEXT NOT NULL,
  task             TEXT NOT NULL,
  model_kind       TEXT NOT NULL,
  model_hash       TEXT NOT NULL,
  run              INTEGER NOT NULL,
  run_seed         INTEGER NOT NULL,
  composite        TEXT NOT NULL,
  target_index     INTEGER NOT NULL,
  target_label     TEXT NOT NULL,
  predicted_index  INTEGER NOT NULL,
  predicted_label  TEXT NOT NULL,
  logits           BLOB NOT NULL,
  explained_logit  REAL NOT NULL,
  samples          INTEGER NOT NULL,
  channels         TEXT NOT NULL,
  relevance        BLOB NOT NULL,
  relevance_sum    REAL NOT NULL,
  residual         REAL NOT NULL,
  scaling_ref      TEXT NOT NULL,
  gaitlab_version  TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  UNIQUE (model_id, trial_id, row_key, composite)
);
INSERT INTO relevance_maps_v11 (id, model_id, trial_id, row_key, subject_id, dataset, task, model_kind, model_hash, run, run_seed, composite,
  target_index, target_label, predicted_index, predicted_label, logits, explained_logit, samples, channels, relevance, relevance_sum, residual,
  scaling_ref, gaitlab_version, created_at)
SELECT id, model_id, trial_id, '', subject_id, dataset, task, model_kind, model_hash, run, run_seed, composite,
  target_index, target_label, predicted_index, predicted_label, logits, explained_logit, samples, channels, relevance, relevance_sum, residual,
  scaling_ref, gaitlab_version, created_at FROM relevance_maps;
DROP TABLE relevance_maps;
ALTER TABLE relevance_maps_v11 RENAME TO relevance_maps;
CREATE INDEX relevance_maps_subject ON relevance_maps (model_id, composite, subject_id);
CREATE INDEX relevance_maps_trial ON relevance_maps (trial_id);
`,
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1].version;
