namespace CommandCenter.Grains.Storage;

/// <summary>
/// The PostgreSQL schema of the records, the twin of <see cref="SqliteMigrations"/> version for version. Keys and times
/// that lists order or page by are <c>COLLATE "C"</c> so they sort byte by byte as in SQLite, whatever the database's
/// locale; case times are BIGINT Unix milliseconds as in SQLite.
/// </summary>
public static class PostgreSqlMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "alerts and incidents", """
            CREATE TABLE alerts (
                id         TEXT COLLATE "C" PRIMARY KEY,
                grain_key  TEXT COLLATE "C" NOT NULL,
                state      INTEGER NOT NULL,
                first_at   TEXT COLLATE "C" NOT NULL,
                last_at    TEXT COLLATE "C" NOT NULL,
                data       TEXT NOT NULL);
            CREATE INDEX alerts_open ON alerts (grain_key) WHERE state <> 2;
            CREATE INDEX alerts_by_time ON alerts (last_at);
            CREATE TABLE incidents (
                id         TEXT COLLATE "C" PRIMARY KEY,
                state      INTEGER NOT NULL,
                opened_at  TEXT COLLATE "C" NOT NULL,
                data       TEXT NOT NULL);
            CREATE INDEX incidents_by_state ON incidents (state, opened_at);
            """),
        new(2, "cases", """
            CREATE TABLE cases (
                id           TEXT COLLATE "C" PRIMARY KEY,
                state        TEXT NOT NULL,
                source       TEXT NOT NULL,
                type         TEXT NOT NULL,
                category     TEXT NOT NULL,
                department   TEXT NOT NULL,
                grid         TEXT,
                district     TEXT NOT NULL,
                lat          DOUBLE PRECISION,
                lon          DOUBLE PRECISION,
                reported_at  BIGINT NOT NULL,
                filed_at     BIGINT,
                dispatched_at BIGINT,
                handled_at   BIGINT,
                closed_at    BIGINT,
                due_at       BIGINT,
                warned       INTEGER NOT NULL DEFAULT 0,
                overdue      INTEGER NOT NULL DEFAULT 0,
                late_steps   INTEGER NOT NULL DEFAULT 0,
                rework_count INTEGER NOT NULL DEFAULT 0,
                on_time      INTEGER,
                updated_at   BIGINT NOT NULL,
                verifier     TEXT,
                next_check   BIGINT,
                data         TEXT NOT NULL);
            CREATE INDEX cases_by_time ON cases (reported_at, id);
            CREATE INDEX cases_by_state ON cases (state, reported_at, id);
            CREATE INDEX cases_by_department ON cases (department, reported_at, id);
            CREATE INDEX cases_overdue ON cases (reported_at, id) WHERE overdue = 1;
            CREATE INDEX cases_to_check ON cases (next_check) WHERE next_check IS NOT NULL;
            CREATE INDEX cases_to_verify ON cases (verifier, reported_at) WHERE state = 'Handled';
            CREATE TABLE case_events (
                case_id    TEXT NOT NULL,
                seq        INTEGER NOT NULL,
                at         BIGINT NOT NULL,
                who        TEXT NOT NULL,
                action     TEXT NOT NULL,
                from_state TEXT,
                to_state   TEXT NOT NULL,
                note       TEXT,
                PRIMARY KEY (case_id, seq));
            CREATE TABLE case_sequences (
                name  TEXT PRIMARY KEY,
                value BIGINT NOT NULL);
            """),
        new(3, "case statistics indexes", """
            CREATE INDEX cases_stats_by_department ON cases (department, reported_at) INCLUDE (state, closed_at, on_time, handled_at, dispatched_at, rework_count, overdue);
            CREATE INDEX cases_stats_by_category ON cases (category, reported_at) INCLUDE (state, closed_at, on_time, handled_at, dispatched_at, rework_count, overdue);
            CREATE INDEX cases_stats_by_source ON cases (source, reported_at) INCLUDE (state, closed_at, on_time, handled_at, dispatched_at, rework_count, overdue);
            CREATE INDEX cases_stats_by_grid ON cases (grid, reported_at) INCLUDE (state, closed_at, on_time, handled_at, dispatched_at, rework_count, overdue);
            """),
        new(4, "enforcement decisions, alerts and cases by category", """
            CREATE TABLE enforcement_decisions (
                alert_id   TEXT COLLATE "C" PRIMARY KEY,
                decision   INTEGER NOT NULL,
                sensor_id  TEXT NOT NULL,
                rule       TEXT NOT NULL,
                decided_at TEXT COLLATE "C" NOT NULL,
                year       INTEGER NOT NULL,
                seq        BIGINT,
                data       TEXT NOT NULL);
            CREATE INDEX enforcement_by_time ON enforcement_decisions (decided_at);
            CREATE INDEX enforcement_by_sensor ON enforcement_decisions (sensor_id, rule) WHERE decision = 1;
            CREATE INDEX alerts_by_key_time ON alerts (grain_key, first_at);
            CREATE INDEX cases_by_category_reported ON cases (category, reported_at);
            """),
        new(5, "device registry", """
            CREATE TABLE device_registry (
                id            TEXT COLLATE "C" PRIMARY KEY,
                kind          TEXT NOT NULL,
                name          TEXT,
                lat           DOUBLE PRECISION,
                lon           DOUBLE PRECISION,
                district      TEXT,
                secret_hash   TEXT,
                registered_at TEXT NOT NULL,
                updated_at    TEXT NOT NULL);
            """),
        new(6, "device registry profile", "ALTER TABLE device_registry ADD COLUMN profile TEXT"),
        new(7, "phone photos and reports", """
            CREATE TABLE phone_photos (
                id           TEXT COLLATE "C" PRIMARY KEY,
                of_record    TEXT COLLATE "C" NOT NULL,
                by_user      TEXT NOT NULL,
                content_type TEXT NOT NULL,
                at           TEXT COLLATE "C" NOT NULL);
            CREATE INDEX phone_photos_of ON phone_photos (of_record);
            CREATE TABLE phone_reports (
                id       TEXT COLLATE "C" PRIMARY KEY,
                by_user  TEXT NOT NULL,
                alert_id TEXT NOT NULL,
                photo_id TEXT,
                at       TEXT NOT NULL);
            """),
        new(8, "phone report case", "ALTER TABLE phone_reports ADD COLUMN case_id TEXT"),
        // ASP.NET Identity's tables for the accounts, as EF Core's create script for the accounts' model (IdentityDbContext
        // of IdentityUser, schema version 1) writes them, frozen here. Not EnsureCreated: it makes nothing in a database
        // that already has tables, as this one has the records', and it would run outside this lock.
        new(9, "accounts", """
            CREATE TABLE "AspNetRoles" (
                "Id" text NOT NULL,
                "Name" character varying(256),
                "NormalizedName" character varying(256),
                "ConcurrencyStamp" text,
                CONSTRAINT "PK_AspNetRoles" PRIMARY KEY ("Id")
            );

            CREATE TABLE "AspNetUsers" (
                "Id" text NOT NULL,
                "UserName" character varying(256),
                "NormalizedUserName" character varying(256),
                "Email" character varying(256),
                "NormalizedEmail" character varying(256),
                "EmailConfirmed" boolean NOT NULL,
                "PasswordHash" text,
                "SecurityStamp" text,
                "ConcurrencyStamp" text,
                "PhoneNumber" text,
                "PhoneNumberConfirmed" boolean NOT NULL,
                "TwoFactorEnabled" boolean NOT NULL,
                "LockoutEnd" timestamp with time zone,
                "LockoutEnabled" boolean NOT NULL,
                "AccessFailedCount" integer NOT NULL,
                CONSTRAINT "PK_AspNetUsers" PRIMARY KEY ("Id")
            );

            CREATE TABLE "AspNetRoleClaims" (
                "Id" integer GENERATED BY DEFAULT AS IDENTITY,
                "RoleId" text NOT NULL,
                "ClaimType" text,
                "ClaimValue" text,
                CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY ("Id"),
                CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
            );

            CREATE TABLE "AspNetUserClaims" (
                "Id" integer GENERATED BY DEFAULT AS IDENTITY,
                "UserId" text NOT NULL,
                "ClaimType" text,
                "ClaimValue" text,
                CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY ("Id"),
                CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            );

            CREATE TABLE "AspNetUserLogins" (
                "LoginProvider" text NOT NULL,
                "ProviderKey" text NOT NULL,
                "ProviderDisplayName" text,
                "UserId" text NOT NULL,
                CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
                CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            );

            CREATE TABLE "AspNetUserRoles" (
                "UserId" text NOT NULL,
                "RoleId" text NOT NULL,
                CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
                CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
                CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            );

            CREATE TABLE "AspNetUserTokens" (
                "UserId" text NOT NULL,
                "LoginProvider" text NOT NULL,
                "Name" text NOT NULL,
                "Value" text,
                CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
                CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            );

            CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

            CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

            CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

            CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

            CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

            CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

            CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
            """),
        // Evidence snapshots and phone photos (PictureStore). Keys are listed by prefix, so byte order ("C"); the bytes
        // are TOASTed out of the row, so a listing of the other columns does not read them.
        new(10, "pictures", """
            CREATE TABLE pictures (
                id           TEXT COLLATE "C" PRIMARY KEY,
                content_type TEXT NOT NULL,
                sha256       TEXT NOT NULL,
                size         BIGINT NOT NULL,
                taken_at     BIGINT NOT NULL,
                bytes        BYTEA NOT NULL);
            """),
        new(11, "ended sign-ins", """
            CREATE TABLE ended_sign_ins (
                id          TEXT COLLATE "C" PRIMARY KEY,
                valid_until BIGINT NOT NULL);
            """),
    ];
}
