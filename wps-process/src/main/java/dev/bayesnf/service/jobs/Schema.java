package dev.bayesnf.service.jobs;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The job store's schema: its versions, each a list of portable SQL statements that moves the
 * database one version up, recorded in the {@code bnf_schema} table. A database newer than this
 * build is refused.
 */
final class Schema {
    /** Current schema version; each entry of {@link #MIGRATIONS} moves one version up. */
    static final int VERSION = 3;

    private static final String[][] MIGRATIONS = {
        {
            "CREATE TABLE bnf_jobs (id VARCHAR(64) PRIMARY KEY, process VARCHAR(128) NOT NULL,"
                    + " status VARCHAR(16) NOT NULL, progress INTEGER NOT NULL, message VARCHAR(2000),"
                    + " created TIMESTAMP WITH TIME ZONE NOT NULL, started TIMESTAMP WITH TIME ZONE,"
                    + " finished TIMESTAMP WITH TIME ZONE, updated TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " expires TIMESTAMP WITH TIME ZONE, request VARCHAR(1000000) NOT NULL,"
                    + " outputs VARCHAR(1000000), error_code VARCHAR(64), error_locator VARCHAR(256),"
                    + " error_message VARCHAR(4000))",
            "CREATE INDEX bnf_jobs_created ON bnf_jobs (created)",
            "CREATE TABLE bnf_models (id VARCHAR(64) PRIMARY KEY, job_id VARCHAR(64), title VARCHAR(512),"
                    + " file VARCHAR(1024) NOT NULL, created TIMESTAMP WITH TIME ZONE NOT NULL)",
            "CREATE TABLE bnf_layers (name VARCHAR(128) PRIMARY KEY, job_id VARCHAR(64) NOT NULL,"
                    + " title VARCHAR(512), file VARCHAR(1024) NOT NULL, created TIMESTAMP WITH TIME ZONE NOT NULL)"
        },
        {
            // accounts: passwords as BCrypt hashes, API tokens as SHA-256 (random, so no salt needed)
            // each statement may be run again (H2 commits DDL one statement at a time: a crash in a
            // migration must not stop every later start)
            "CREATE TABLE IF NOT EXISTS bnf_users (name VARCHAR(128) PRIMARY KEY, role VARCHAR(32) NOT NULL,"
                    + " password_hash VARCHAR(128), token_hash VARCHAR(64), created TIMESTAMP WITH TIME ZONE NOT NULL)",
            "CREATE UNIQUE INDEX IF NOT EXISTS bnf_users_token ON bnf_users (token_hash)",
            // who submitted a job, who owns a model or layer (null: before accounts, or the service itself)
            "ALTER TABLE bnf_jobs ADD COLUMN IF NOT EXISTS owner VARCHAR(128)",
            "ALTER TABLE bnf_models ADD COLUMN IF NOT EXISTS owner VARCHAR(128)",
            "ALTER TABLE bnf_layers ADD COLUMN IF NOT EXISTS owner VARCHAR(128)"
        },
        {
            // when a model was last used for a prediction (null: never since it was stored), for
            // its expiry
            "ALTER TABLE bnf_models ADD COLUMN IF NOT EXISTS last_used TIMESTAMP WITH TIME ZONE",
            // the service's own work (the demo) was stored as owned by 'system', which no account
            // is: it is shared, as documented
            "UPDATE bnf_jobs SET owner = NULL WHERE owner = 'system'",
            "UPDATE bnf_models SET owner = NULL WHERE owner = 'system'",
            "UPDATE bnf_layers SET owner = NULL WHERE owner = 'system'"
        }
    };

    private Schema() {
    }

    /**
     * Brings the database on {@code c} to {@link #VERSION}, in one transaction (committed, not
     * yet forced: the caller syncs).
     *
     * @throws SQLException when it cannot, or the database is newer than this build
     */
    static void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TABLE IF NOT EXISTS bnf_schema (version INTEGER NOT NULL)");
            int version = 0;
            try (ResultSet r = s.executeQuery("SELECT MAX(version) FROM bnf_schema")) {
                if (r.next()) {
                    version = r.getInt(1);
                }
            }
            if (version > VERSION) {
                throw new SQLException("the database has schema version " + version + "; this build knows up to "
                        + VERSION + " (use a newer bayesnf)");
            }
            for (int v = version; v < VERSION; v++) {
                for (String sql : MIGRATIONS[v]) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO bnf_schema (version) VALUES (" + (v + 1) + ")");
            }
            c.commit();
        }
    }
}
