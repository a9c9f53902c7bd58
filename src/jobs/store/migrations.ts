// Schema migrations, applied in order on PRAGMA user_version (Signal Desktop's pattern). Append only: never
// edit a released step; add a new one.
export const MIGRATIONS: string[] = [
  // 1: jobs, attempts, log lines, remote events (circuit breaker), settings
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    status TEXT NOT NULL,
    requested_backend TEXT NOT NULL,
    backend TEXT,
    fallback_json TEXT,
    input_path TEXT NOT NULL,
    input_sha256 TEXT,
    input_bytes INTEGER,
    input_format TEXT,
    settings_json TEXT NOT NULL,
    out_dir TEXT,
    strategy TEXT,
    score REAL,
    mesh_json TEXT,
    quality_json TEXT,
    timings_json TEXT,
    transfer_json TEXT,
    cost_json TEXT,
    error_json TEXT,
    owner_pid INTEGER,
    owner_start TEXT,
    modal_call_id TEXT,
    modal_status TEXT,
    modal_started_at TEXT,
    modal_completed_at TEXT
  );
  CREATE INDEX jobs_status ON jobs(status);
  CREATE INDEX jobs_created ON jobs(created_at);
  CREATE TABLE attempts (
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    strategy TEXT NOT NULL,
    status TEXT NOT NULL,
    argv_json TEXT,
    score REAL,
    error TEXT,
    seconds REAL,
    result_json TEXT,
    gmsh_pid INTEGER,
    gmsh_start TEXT,
    modal_call_id TEXT,
    modal_status TEXT,
    PRIMARY KEY (job_id, idx)
  );
  CREATE INDEX attempts_call ON attempts(modal_call_id);
  CREATE TABLE log_lines (
    job_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    level TEXT NOT NULL,
    attempt INTEGER,
    text TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
  ) WITHOUT ROWID;
  CREATE TABLE remote_events (
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    ok INTEGER NOT NULL,
    detail TEXT
  );
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 2: a job the user stopped keeps its best mesh so far and says so
  `ALTER TABLE jobs ADD COLUMN stopped_json TEXT;`,
  // 3: inputs refused before Gmsh ran get their own status, `rejected` (they used to be `failed` with an input-* code)
  `
  UPDATE jobs SET status = 'rejected' WHERE status = 'failed' AND json_extract(error_json, '$.code') LIKE 'input-%';
  `,
  // 4: the groups written into a job's mesh and the solver files exported from it
  `
  ALTER TABLE jobs ADD COLUMN groups_json TEXT;
  ALTER TABLE jobs ADD COLUMN exports_json TEXT;
  `,
  // 5: the winning attempt by index (a strategy name can win twice: a second chance, repair rounds) and the groups
  // the attempts were given (their labels name the exported groups, for a resumed job too)
  `
  ALTER TABLE jobs ADD COLUMN winner_index INTEGER;
  ALTER TABLE jobs ADD COLUMN group_specs_json TEXT;
  UPDATE jobs SET winner_index = (
    SELECT MIN(a.idx) FROM attempts a
    WHERE a.job_id = jobs.id AND a.strategy = jobs.strategy AND a.status = 'completed' AND a.score IS jobs.score
  ) WHERE strategy IS NOT NULL;
  `,
  // 6: whether the kept mesh met the job's targets, as src/contract/targets.ts decides it when the job finishes (the
  // learned order counts these wins); older jobs get the same rule, once, in SQL
  `
  ALTER TABLE jobs ADD COLUMN targets_met INTEGER;
  UPDATE jobs SET targets_met = (
    json_extract(quality_json, '$.inverted') = 0
    AND json_extract(quality_json, '$.sicn.min') >= json_extract(settings_json, '$.targets.minSicn')
  ) WHERE quality_json IS NOT NULL;
  `,
  // 7: a kept mesh below its targets: the small CAD features next to its bad elements (src/model/explain-misses.ts);
  // the element size asked for and the tetrahedra it implies for the part (src/sizing/requested-size.ts)
  `
  ALTER TABLE jobs ADD COLUMN geometry_json TEXT;
  ALTER TABLE jobs ADD COLUMN requested_json TEXT;
  `,
];
