namespace CommandCenter.Grains.Storage;

/// <summary>
/// The SQLite schema of the records, step by step. Versions 1–3 are the tables and indexes the stores made for
/// themselves before there were migrations, written with IF NOT EXISTS so a data file from then takes them as applied.
/// A migration, once released, never changes: add a new one with the next version (and its PostgreSQL twin).
/// </summary>
public static class SqliteMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "alerts and incidents", """
            CREATE TABLE IF NOT EXISTS alerts (
                id         TEXT PRIMARY KEY,
                grain_key  TEXT NOT NULL,
                state      INTEGER NOT NULL,
                first_at   TEXT NOT NULL,
                last_at    TEXT NOT NULL,
                data       TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS alerts_open ON alerts (grain_key) WHERE state <> 2;
            CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (last_at);
            CREATE TABLE IF NOT EXISTS incidents (
                id         TEXT PRIMARY KEY,
                state      INTEGER NOT NULL,
                opened_at  TEXT NOT NULL,
                data       TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS incidents_by_state ON incidents (state, opened_at);
            """),
        // The list's indexes serve each filter with the keyset order (reported_at DESC, id DESC) so a page reads only
        // its rows, however many cases there are; the watch reads the next deadline from a partial index.
        new(2, "cases", """
            CREATE TABLE IF NOT EXISTS cases (
                id           TEXT PRIMARY KEY,
                state        TEXT NOT NULL,
                source       TEXT NOT NULL,
                type         TEXT NOT NULL,
                category     TEXT NOT NULL,
                department   TEXT NOT NULL,
                grid         TEXT,
                district     TEXT NOT NULL,
                lat          REAL,
                lon          REAL,
                reported_at  INTEGER NOT NULL,
                filed_at     INTEGER,
                dispatched_at INTEGER,
                handled_at   INTEGER,
                closed_at    INTEGER,
                due_at       INTEGER,
                warned       INTEGER NOT NULL DEFAULT 0,
                overdue      INTEGER NOT NULL DEFAULT 0,
                late_steps   INTEGER NOT NULL DEFAULT 0,
                rework_count INTEGER NOT NULL DEFAULT 0,
                on_time      INTEGER,
                updated_at   INTEGER NOT NULL,
                verifier     TEXT,
                next_check   INTEGER,
                data         TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS cases_by_time ON cases (reported_at, id);
            CREATE INDEX IF NOT EXISTS cases_by_state ON cases (state, reported_at, id);
            CREATE INDEX IF NOT EXISTS cases_by_department ON cases (department, reported_at, id);
            CREATE INDEX IF NOT EXISTS cases_overdue ON cases (reported_at, id) WHERE overdue = 1;
            CREATE INDEX IF NOT EXISTS cases_to_check ON cases (next_check) WHERE next_check IS NOT NULL;
            CREATE INDEX IF NOT EXISTS cases_to_verify ON cases (verifier, reported_at) WHERE state = 'Handled';
            CREATE TABLE IF NOT EXISTS case_events (
                case_id    TEXT NOT NULL,
                seq        INTEGER NOT NULL,
                at         INTEGER NOT NULL,
                who        TEXT NOT NULL,
                action     TEXT NOT NULL,
                from_state TEXT,
                to_state   TEXT NOT NULL,
                note       TEXT,
                PRIMARY KEY (case_id, seq)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS case_sequences (
                name  TEXT PRIMARY KEY,
                value INTEGER NOT NULL) WITHOUT ROWID;
            """),
        // One covering index per grouping of the statistics (the group, the time, then every column the figures read),
        // so a period is answered from the index alone. On a data file with a million cases this takes a few seconds, once.
        new(3, "case statistics indexes", """
            CREATE INDEX IF NOT EXISTS cases_stats_by_department ON cases (department, reported_at, state, closed_at, on_time, handled_at, dispatched_at, rework_count, overdue);
            CREATE INDEX IF NOT EXISTS cases_stats_by_category ON cases (category, reported_at, state, closed_at, on_time, handled_at, dispatched_at, rework_count, overdue);
            CREATE INDEX IF NOT EXISTS cases_stats_by_source ON cases (source, reported_at, state, closed_at, on_time, handled_at, dispatched_at, rework_count, overdue);
            CREATE INDEX IF NOT EXISTS cases_stats_by_grid ON cases (grid, reported_at, state, closed_at, on_time, handled_at, dispatched_at, rework_count, overdue);
            """),
        // Tables and indexes the enforcement and intake stores made for themselves before there were migrations.
        new(4, "enforcement decisions, alerts and cases by category", """
            CREATE TABLE IF NOT EXISTS enforcement_decisions (
                alert_id   TEXT PRIMARY KEY,
                decision   INTEGER NOT NULL,
                sensor_id  TEXT NOT NULL,
                rule       TEXT NOT NULL,
                decided_at TEXT NOT NULL,
                year       INTEGER NOT NULL,
                seq        INTEGER,
                data       TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS enforcement_by_time ON enforcement_decisions (decided_at);
            CREATE INDEX IF NOT EXISTS enforcement_by_sensor ON enforcement_decisions (sensor_id, rule) WHERE decision = 1;
            CREATE INDEX IF NOT EXISTS alerts_by_key_time ON alerts (grain_key, first_at);
            CREATE INDEX IF NOT EXISTS cases_by_category_reported ON cases (category, reported_at);
            """),
        // The device registry's table, as DeviceRegistry made it for itself before there were migrations.
        new(5, "device registry", """
            CREATE TABLE IF NOT EXISTS device_registry (
                id            TEXT PRIMARY KEY,
                kind          TEXT NOT NULL,
                name          TEXT,
                lat           REAL,
                lon           REAL,
                district      TEXT,
                secret_hash   TEXT,
                registered_at TEXT NOT NULL,
                updated_at    TEXT NOT NULL) WITHOUT ROWID;
            """),
        // Registries written before sensors had a pollution profile; later ones made the column at start themselves.
        new(6, "device registry profile", "ALTER TABLE device_registry ADD COLUMN profile TEXT",
            OnlyIf: "SELECT COUNT(*) = 0 FROM pragma_table_info('device_registry') WHERE name = 'profile'"),
        // The phone page's photos and problem reports, as PhoneRecords made them before there were migrations.
        new(7, "phone photos and reports", """
            CREATE TABLE IF NOT EXISTS phone_photos (
                id           TEXT PRIMARY KEY,
                of_record    TEXT NOT NULL,
                by_user      TEXT NOT NULL,
                content_type TEXT NOT NULL,
                at           TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS phone_photos_of ON phone_photos (of_record);
            CREATE TABLE IF NOT EXISTS phone_reports (
                id       TEXT PRIMARY KEY,
                by_user  TEXT NOT NULL,
                alert_id TEXT NOT NULL,
                photo_id TEXT,
                at       TEXT NOT NULL);
            """),
        // Reports made before a report could open a case keep a null case id.
        new(8, "phone report case", "ALTER TABLE phone_reports ADD COLUMN case_id TEXT",
            OnlyIf: "SELECT COUNT(*) = 0 FROM pragma_table_info('phone_reports') WHERE name = 'case_id'"),
        // Accounts stay in their own accounts.db under SQLite (EF Core's EnsureCreated makes them); see PostgreSqlMigrations.
        new(9, "accounts", ""),
        // Evidence snapshots and phone photos, their bytes with them (PictureStore). A rowid table (WITHOUT ROWID suits
        // small rows only), the bytes the last column, so a listing of the other columns reads each row's first page,
        // never the picture's overflow pages.
        new(10, "pictures", """
            CREATE TABLE pictures (
                id           TEXT PRIMARY KEY,
                content_type TEXT NOT NULL,
                sha256       TEXT NOT NULL,
                size         INTEGER NOT NULL,
                taken_at     INTEGER NOT NULL,
                bytes        BLOB NOT NULL);
            """),
        new(11, "ended sign-ins", """
            CREATE TABLE ended_sign_ins (
                id          TEXT PRIMARY KEY,
                valid_until INTEGER NOT NULL);
            """),
    ];
}
