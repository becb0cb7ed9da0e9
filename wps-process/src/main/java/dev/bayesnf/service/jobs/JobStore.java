/*
 * Longer than 500 lines on purpose: this is the one class that writes SQL, for all four tables
 * (jobs, accounts, models, layers), so the connection policy and the durability rule (sync after
 * every write to H2) live in one place; a class per table would repeat them, and change the API that
 * accounts (security), models and layers use. Its schema and migrations are Schema's.
 */
package dev.bayesnf.service.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs, models and published layers in a SQL database through JDBC: H2 in file mode in the data
 * directory by default, any database with a JDBC URL (PostgreSQL) in its place. Only portable SQL
 * is used (VARCHAR, INTEGER, BOOLEAN, TIMESTAMP WITH TIME ZONE). The schema is versioned in the
 * {@code bnf_schema} table and migrated forward at start-up ({@link Schema}).
 *
 * <p>Durable: every write is on the device when its method returns. A server database commits
 * durably by itself; H2 stores its changes a little later (its write delay) and does not force
 * them to the device, so after each write to H2 a {@code CHECKPOINT SYNC} stores and forces them
 * (progress updates excepted, {@link #update(Job, boolean)}).
 *
 * <p>Thread-safe: every call takes its own connection (H2 keeps the database open while
 * {@link #keeper} is).
 */
public final class JobStore implements AutoCloseable {
    /** Current schema version ({@link Schema}). */
    public static final int SCHEMA_VERSION = Schema.VERSION;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPDATE = "UPDATE bnf_jobs SET id = ?, process = ?, status = ?, progress = ?,"
            + " message = ?, created = ?, started = ?, finished = ?, updated = ?, expires = ?, request = ?, outputs = ?,"
            + " error_code = ?, error_locator = ?, error_message = ? WHERE id = ?";

    private final String url;
    private final Connection keeper;
    private final boolean h2;

    /**
     * Opens (creating or migrating) the database at {@code url}.
     *
     * @throws SQLException when the database cannot be opened or is newer than this build
     */
    public JobStore(String url) throws SQLException {
        this.url = url;
        this.h2 = url.startsWith("jdbc:h2:");
        this.keeper = DriverManager.getConnection(url);
        try {
            migrate();
        } catch (SQLException | RuntimeException e) {
            // the embedded database stays open while a connection is: a refused one must not
            keeper.close();
            throw e;
        }
    }

    /** The default URL: an H2 database file in {@code dataDir}. */
    public static String h2Url(java.nio.file.Path dataDir) {
        // no trace file: H2 writes failed statements there, users' literal values included
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("bayesnf").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0";
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Makes the committed writes durable (H2: stores and forces them; other databases: already). */
    private void sync(Connection c) throws SQLException {
        if (h2) {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    }

    private void migrate() throws SQLException {
        try (Connection c = connect()) {
            Schema.migrate(c);
            sync(c);
        }
    }

    private static OffsetDateTime ts(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant in(ResultSet r, String col) throws SQLException {
        OffsetDateTime t = r.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Inserts a new job. */
    public void insert(Job j) throws SQLException {
        insert(j, null);
    }

    /** Inserts a new job submitted by account {@code owner} (null: anonymous or the service). */
    public void insert(Job j, String owner) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO bnf_jobs (id, process, status, progress, message, created, started, finished, updated,"
                        + " expires, request, outputs, error_code, error_locator, error_message, owner)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(p, j);
            p.setString(16, owner);
            p.executeUpdate();
            sync(c);
        }
    }

    /** Writes every field of an existing job, durably. */
    public void update(Job j) throws SQLException {
        update(j, true);
    }

    /**
     * Writes every field of an existing job.
     *
     * @param durable false for a progress update that a crash may lose (the job is re-run then)
     */
    public void update(Job j, boolean durable) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(UPDATE)) {
            bind(p, j);
            p.setString(16, j.id());
            p.executeUpdate();
            if (durable) {
                sync(c);
            }
        }
    }

    private static void bind(PreparedStatement p, Job j) throws SQLException {
        p.setString(1, j.id());
        p.setString(2, j.process());
        p.setString(3, j.status().code());
        p.setInt(4, j.progress());
        p.setString(5, truncate(j.message(), 2000));
        p.setObject(6, ts(j.created()));
        p.setObject(7, ts(j.started()));
        p.setObject(8, ts(j.finished()));
        p.setObject(9, ts(j.updated()));
        p.setObject(10, ts(j.expires()));
        p.setString(11, j.request());
        try {
            p.setString(12, JSON.writeValueAsString(j.outputs()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("cannot encode outputs", e);
        }
        p.setString(13, j.errorCode());
        p.setString(14, truncate(j.errorLocator(), 256));
        p.setString(15, truncate(j.errorMessage(), 4000));
    }

    private static String truncate(String s, int n) {
        if (s == null || s.length() <= n) {
            return s;
        }
        int end = n - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--; // never half a character
        }
        return s.substring(0, end) + "…";
    }

    public Optional<Job> job(String id) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("SELECT * FROM bnf_jobs WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /** The newest jobs first, at most {@code limit}, skipping {@code offset}. */
    public List<Job> jobs(int offset, int limit) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "SELECT * FROM bnf_jobs ORDER BY created DESC, id OFFSET ? ROWS FETCH FIRST ? ROWS ONLY")) {
            p.setInt(1, offset);
            p.setInt(2, limit);
            List<Job> list = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    list.add(read(r));
                }
            }
            return list;
        }
    }

    /** The jobs of one submitter (null: anonymous), newest first, at most {@code limit}, skipping {@code offset}. */
    public List<Job> jobsOf(String owner, int offset, int limit) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("SELECT * FROM bnf_jobs WHERE "
                + (owner == null ? "owner IS NULL" : "owner = ?") + " ORDER BY created DESC, id OFFSET ? ROWS FETCH"
                + " FIRST ? ROWS ONLY")) {
            int i = 1;
            if (owner != null) {
                p.setString(i++, owner);
            }
            p.setInt(i++, offset);
            p.setInt(i, limit);
            List<Job> list = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    list.add(read(r));
                }
            }
            return list;
        }
    }

    /** Finished jobs whose expiry time has passed. */
    public List<Job> expired(Instant now) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "SELECT * FROM bnf_jobs WHERE expires IS NOT NULL AND expires < ? AND status IN (?, ?, ?)")) {
            p.setObject(1, ts(now));
            p.setString(2, JobStatus.SUCCESSFUL.code());
            p.setString(3, JobStatus.FAILED.code());
            p.setString(4, JobStatus.DISMISSED.code());
            List<Job> list = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    list.add(read(r));
                }
            }
            return list;
        }
    }

    /** Jobs in any of the given states, oldest first. */
    public List<Job> jobsIn(JobStatus... states) throws SQLException {
        StringBuilder q = new StringBuilder("SELECT * FROM bnf_jobs WHERE status IN (");
        for (int i = 0; i < states.length; i++) {
            q.append(i == 0 ? "?" : ", ?");
        }
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(q.append(") ORDER BY created, id")
                .toString())) {
            for (int i = 0; i < states.length; i++) {
                p.setString(i + 1, states[i].code());
            }
            List<Job> list = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    list.add(read(r));
                }
            }
            return list;
        }
    }

    /** The account that submitted a job (empty: anonymous, the service itself, or no such job). */
    public Optional<String> owner(String id) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("SELECT owner FROM bnf_jobs WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * The jobs of one submitter (null: anonymous or the service itself) that are not dismissed
     * (their results are gone): id to the characters its request and outputs take in the database.
     */
    public Map<String, Long> jobSizesOf(String owner) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("SELECT id, LENGTH(request)"
                + " + COALESCE(LENGTH(outputs), 0) FROM bnf_jobs WHERE status <> ? AND " + (owner == null
                ? "owner IS NULL" : "owner = ?"))) {
            p.setString(1, JobStatus.DISMISSED.code());
            if (owner != null) {
                p.setString(2, owner);
            }
            Map<String, Long> sizes = new java.util.HashMap<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    sizes.put(r.getString(1), r.getLong(2));
                }
            }
            return sizes;
        }
    }

    /** The ids of every job. */
    public java.util.Set<String> jobIds() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id FROM bnf_jobs")) {
            java.util.Set<String> ids = new java.util.HashSet<>();
            while (r.next()) {
                ids.add(r.getString(1));
            }
            return ids;
        }
    }

    /**
     * Puts a job back in the queue after a restart, in one transaction: its state back to
     * {@code job}'s (accepted), the models and layers of its interrupted run removed.
     */
    public void requeue(Job job) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement a = c.prepareStatement("DELETE FROM bnf_layers WHERE job_id = ?");
                    PreparedStatement b = c.prepareStatement("DELETE FROM bnf_models WHERE job_id = ?");
                    PreparedStatement u = c.prepareStatement(UPDATE)) {
                a.setString(1, job.id());
                a.executeUpdate();
                b.setString(1, job.id());
                b.executeUpdate();
                bind(u, job);
                u.setString(16, job.id());
                u.executeUpdate();
            }
            c.commit();
            sync(c);
        }
    }

    /** Removes a model's row. */
    public void deleteModel(String id) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("DELETE FROM bnf_models WHERE id = ?")) {
            p.setString(1, id);
            p.executeUpdate();
            sync(c);
        }
    }

    public void deleteJob(String id) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement a = c.prepareStatement("DELETE FROM bnf_layers WHERE job_id = ?");
                    PreparedStatement b = c.prepareStatement("DELETE FROM bnf_jobs WHERE id = ?")) {
                a.setString(1, id);
                a.executeUpdate();
                b.setString(1, id);
                b.executeUpdate();
            }
            c.commit();
            sync(c);
        }
    }

    private static Job read(ResultSet r) throws SQLException {
        List<StoredOutput> outs;
        String o = r.getString("outputs");
        try {
            outs = o == null ? List.of() : JSON.readValue(o, new TypeReference<List<StoredOutput>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("job " + r.getString("id") + " has unreadable outputs", e);
        }
        return new Job(r.getString("id"), r.getString("process"), JobStatus.ofCode(r.getString("status")),
                r.getInt("progress"), r.getString("message"), in(r, "created"), in(r, "started"), in(r, "finished"),
                in(r, "updated"), in(r, "expires"), r.getString("request"), outs, r.getString("error_code"),
                r.getString("error_locator"), r.getString("error_message"));
    }

    /** An account row: its role, its password's BCrypt hash and its API token's SHA-256 (either may be null). */
    public record UserRow(String name, String role, String passwordHash, String tokenHash, Instant created) {}

    /** Adds an account; false when the name is taken. */
    public boolean insertUser(UserRow u) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO bnf_users (name, role, password_hash, token_hash, created) VALUES (?, ?, ?, ?, ?)")) {
            if (user(u.name()).isPresent()) {
                return false;
            }
            p.setString(1, u.name());
            p.setString(2, u.role());
            p.setString(3, u.passwordHash());
            p.setString(4, u.tokenHash());
            p.setObject(5, ts(u.created()));
            p.executeUpdate();
            sync(c);
            return true;
        }
    }

    /** Removes an account; false when there is none of that name. */
    public boolean deleteUser(String name) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("DELETE FROM bnf_users WHERE name = ?")) {
            p.setString(1, name);
            int n = p.executeUpdate();
            sync(c);
            return n > 0;
        }
    }

    /**
     * Replaces an account's role, password hash and token hash with those of {@code u} (by name);
     * false when there is no account of that name.
     */
    public boolean updateUser(UserRow u) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "UPDATE bnf_users SET role = ?, password_hash = ?, token_hash = ? WHERE name = ?")) {
            p.setString(1, u.role());
            p.setString(2, u.passwordHash());
            p.setString(3, u.tokenHash());
            p.setString(4, u.name());
            int n = p.executeUpdate();
            sync(c);
            return n > 0;
        }
    }

    public Optional<UserRow> user(String name) throws SQLException {
        return users("SELECT * FROM bnf_users WHERE name = ?", name).stream().findFirst();
    }

    /** The account whose API token has this SHA-256. */
    public Optional<UserRow> userByToken(String tokenHash) throws SQLException {
        return users("SELECT * FROM bnf_users WHERE token_hash = ?", tokenHash).stream().findFirst();
    }

    /** Every account, by name. */
    public List<UserRow> users() throws SQLException {
        return users("SELECT * FROM bnf_users ORDER BY name", null);
    }

    private List<UserRow> users(String sql, String arg) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(sql)) {
            if (arg != null) {
                p.setString(1, arg);
            }
            List<UserRow> list = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    list.add(new UserRow(r.getString("name"), r.getString("role"), r.getString("password_hash"),
                            r.getString("token_hash"), in(r, "created")));
                }
            }
            return list;
        }
    }

    /** A stored model row. */
    /** @param owner the account whose job stored the model (null: anonymous or the service: shared) */
    public record ModelRow(String id, String jobId, String title, String file, Instant created, String owner) {}

    public void insertModel(ModelRow m) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO bnf_models (id, job_id, title, file, created, owner) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, m.id());
            p.setString(2, m.jobId());
            p.setString(3, truncate(m.title(), 512));
            p.setString(4, m.file());
            p.setObject(5, ts(m.created()));
            p.setString(6, m.owner());
            p.executeUpdate();
            sync(c);
        }
    }

    /**
     * Records that a model was used at {@code when} (not forced to disk: a use lost in a crash
     * only lets the model expire earlier by the time since).
     */
    public void touchModel(String id, Instant when) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "UPDATE bnf_models SET last_used = ? WHERE id = ?")) {
            p.setObject(1, ts(when));
            p.setString(2, id);
            p.executeUpdate();
        }
    }

    /** Models neither stored nor used since {@code before}. */
    public List<ModelRow> modelsUnusedSince(Instant before) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "SELECT * FROM bnf_models WHERE COALESCE(last_used, created) < ? ORDER BY created, id")) {
            p.setObject(1, ts(before));
            List<ModelRow> list = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    list.add(new ModelRow(r.getString("id"), r.getString("job_id"), r.getString("title"),
                            r.getString("file"), in(r, "created"), r.getString("owner")));
                }
            }
            return list;
        }
    }

    public List<ModelRow> models() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM bnf_models ORDER BY created, id")) {
            List<ModelRow> list = new ArrayList<>();
            while (r.next()) {
                list.add(new ModelRow(r.getString("id"), r.getString("job_id"), r.getString("title"),
                        r.getString("file"), in(r, "created"), r.getString("owner")));
            }
            return list;
        }
    }

    /** A published layer row. */
    /** @param owner the account whose job published the layer (null: anonymous or the service: shared) */
    public record LayerRow(String name, String jobId, String title, String file, Instant created, String owner) {}

    public void insertLayer(LayerRow l) throws SQLException {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO bnf_layers (name, job_id, title, file, created, owner) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, l.name());
            p.setString(2, l.jobId());
            p.setString(3, truncate(l.title(), 512));
            p.setString(4, l.file());
            p.setObject(5, ts(l.created()));
            p.setString(6, l.owner());
            p.executeUpdate();
            sync(c);
        }
    }

    public List<LayerRow> layers() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM bnf_layers ORDER BY created, name")) {
            List<LayerRow> list = new ArrayList<>();
            while (r.next()) {
                list.add(new LayerRow(r.getString("name"), r.getString("job_id"), r.getString("title"),
                        r.getString("file"), in(r, "created"), r.getString("owner")));
            }
            return list;
        }
    }

    @Override
    public void close() throws SQLException {
        keeper.close();
    }
}
