package dev.bayesnf.service.security;

import dev.bayesnf.service.jobs.JobStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The service's accounts, in the job database ({@code bnf_users}): a name, a {@link Role}, a
 * password (stored as a BCrypt hash, for HTTP Basic) and an API token (stored as its SHA-256,
 * for {@code Authorization: Bearer}). Requests are authenticated here; who may do what is the
 * role's ({@link Role}); who anonymous callers are is the service's setting.
 *
 * <p>Thread-safe.
 */
public final class Accounts {
    /** Longest account name; names are letters, digits and {@code . _ @ -}. */
    public static final int MAX_NAME = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JobStore store;
    /** A hash of a random password, checked against when there is no account of the name. */
    private final String dummy;
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(12);

    public Accounts(JobStore store) {
        this.store = store;
        byte[] raw = new byte[16];
        RANDOM.nextBytes(raw);
        this.dummy = bcrypt.encode(HexFormat.of().formatHex(raw));
    }

    /** A request refused for its credentials: missing where needed, or wrong. */
    public static final class Unauthorized extends Exception {
        private static final long serialVersionUID = 1L;

        public Unauthorized(String message) {
            super(message);
        }
    }

    /**
     * Adds an account and returns its new API token (shown once: only its hash is kept).
     *
     * @param password the password for HTTP Basic, or null for token access only
     * @throws IllegalArgumentException for a malformed or taken name, or a short password
     */
    public String add(String name, Role role, char[] password) throws SQLException {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1," + MAX_NAME + "}")) {
            throw new IllegalArgumentException("an account name is 1 to " + MAX_NAME
                    + " letters, digits, '.', '_', '@' or '-', got '" + name + "'");
        }
        if (name.equalsIgnoreCase(Principal.SYSTEM.name())) {
            throw new IllegalArgumentException("'" + name + "' is the service's own name; choose another");
        }
        checkPassword(password);
        String token = newToken();
        String hash = password == null ? null : bcrypt.encode(new String(password));
        if (!store.insertUser(new JobStore.UserRow(name, role.id(), hash, sha256(token), Instant.now()))) {
            throw new IllegalArgumentException("there is already an account '" + name + "'");
        }
        anyCheckedAt = Long.MIN_VALUE;
        return token;
    }

    /** Removes an account; false when there is none of that name. */
    public boolean remove(String name) throws SQLException {
        anyCheckedAt = Long.MIN_VALUE;
        verified.clear();
        return store.deleteUser(name);
    }

    /** Every account as shown to administrators, by name. */
    public List<Account> accounts() throws SQLException {
        return store.users().stream().map(Account::of).toList();
    }

    /** One account (without its secrets' hashes, but saying whether it has a password). */
    public Optional<Account> account(String name) throws SQLException {
        return store.user(name).map(Account::of);
    }

    /** An account as shown to administrators: no secret, only whether a password is set. */
    public record Account(String name, Role role, boolean password, Instant created) {
        static Account of(JobStore.UserRow u) {
            return new Account(u.name(), Role.parse(u.role()), u.passwordHash() != null, u.created());
        }
    }

    /**
     * Gives an account a new API token and returns it (shown once); the old one stops working at
     * once.
     *
     * @throws IllegalArgumentException when there is no account of that name
     */
    public String renewToken(String name) throws SQLException {
        JobStore.UserRow u = existing(name);
        String token = newToken();
        store.updateUser(new JobStore.UserRow(u.name(), u.role(), u.passwordHash(), sha256(token), u.created()));
        verified.clear();
        return token;
    }

    /**
     * Changes an account's role and, when {@code password} is given, its password (an empty one
     * removes it: token access only). Requests already authenticated keep their role until they end.
     *
     * @param role the new role, or null to keep it
     * @throws IllegalArgumentException when there is no account of that name, or for a short password
     */
    public Account change(String name, Role role, char[] password) throws SQLException {
        JobStore.UserRow u = existing(name);
        String hash = u.passwordHash();
        if (password != null) {
            checkPassword(password.length == 0 ? null : password);
            hash = password.length == 0 ? null : bcrypt.encode(new String(password));
        }
        JobStore.UserRow changed = new JobStore.UserRow(u.name(), role == null ? u.role() : role.id(), hash,
                u.tokenHash(), u.created());
        store.updateUser(changed);
        verified.clear();
        return Account.of(changed);
    }

    private JobStore.UserRow existing(String name) throws SQLException {
        return store.user(name).orElseThrow(() -> new IllegalArgumentException("there is no account '" + name + "'"));
    }

    private static void checkPassword(char[] password) {
        if (password != null && password.length < 8) {
            throw new IllegalArgumentException("a password has at least 8 characters");
        }
    }

    private static String newToken() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return "bnf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** Every account (without its secrets' hashes). */
    public List<JobStore.UserRow> list() throws SQLException {
        return store.users().stream().map(u -> new JobStore.UserRow(u.name(), u.role(), null, null, u.created()))
                .toList();
    }

    public boolean any() throws SQLException {
        return !store.users().isEmpty();
    }

    private volatile long anyCheckedAt = Long.MIN_VALUE;
    private volatile boolean anyValue;

    /** {@link #any}, read again at most every 5 s (it is asked at every request). */
    public boolean anyCached() throws SQLException {
        long now = System.nanoTime();
        if (anyCheckedAt == Long.MIN_VALUE || now - anyCheckedAt > 5_000_000_000L) {
            anyValue = any();
            anyCheckedAt = now;
        }
        return anyValue;
    }

    /**
     * The principal of a request with this {@code Authorization} header (null when none).
     *
     * @param anonymous the role of callers without credentials, or empty when they are refused
     * @throws Unauthorized for missing (where needed), malformed or wrong credentials
     */
    public Principal authenticate(String authorization, Optional<Role> anonymous) throws Unauthorized, SQLException {
        if (authorization == null || authorization.isBlank()) {
            return anonymous.map(Principal::anonymous).orElseThrow(() -> new Unauthorized(
                    "this service needs credentials: HTTP Basic (account and password) or Authorization: Bearer TOKEN"));
        }
        String a = authorization.trim();
        int space = a.indexOf(' ');
        String scheme = space < 0 ? a : a.substring(0, space);
        String value = space < 0 ? "" : a.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            Optional<JobStore.UserRow> u = value.isEmpty() ? Optional.empty() : store.userByToken(sha256(value));
            return u.map(r -> new Principal(r.name(), Role.parse(r.role())))
                    .orElseThrow(() -> new Unauthorized("the token is not valid"));
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            // a client polling a job sends the same header every second: BCrypt (about 0.2 s of
            // CPU) once a minute, not at every request
            String key = sha256(a);
            Verified v = verified.get(key);
            if (v != null && System.nanoTime() - v.at() < VERIFIED_NANOS) {
                return v.who();
            }
            Principal who = basic(value);
            if (verified.size() > 1024) {
                verified.clear();
            }
            verified.put(key, new Verified(who, System.nanoTime()));
            return who;
        }
        throw new Unauthorized("unsupported authorization scheme '" + scheme + "' (Basic or Bearer)");
    }

    /** Checked Basic credentials, by the SHA-256 of their header. */
    private record Verified(Principal who, long at) {}

    private static final long VERIFIED_NANOS = 60_000_000_000L;
    private final java.util.Map<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();

    private Principal basic(String value) throws Unauthorized, SQLException {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Unauthorized("malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new Unauthorized("malformed Basic credentials");
        }
        Optional<JobStore.UserRow> u = store.user(decoded.substring(0, colon));
        String password = decoded.substring(colon + 1);
        if (u.isEmpty() || u.get().passwordHash() == null) {
            bcrypt.matches(password, dummy); // the same work as for an account: no timing tells names
            throw new Unauthorized("wrong account name or password");
        }
        if (bcrypt.matches(password, u.get().passwordHash())) {
            return new Principal(u.get().name(), Role.parse(u.get().role()));
        }
        throw new Unauthorized("wrong account name or password");
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
