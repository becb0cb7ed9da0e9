package dev.bayesnf.service.security;

/**
 * Who a request comes from: an account, or anonymous with the role anonymous users have. Held for
 * the request's thread while its endpoint runs ({@link #current}), as servlet security and
 * Spring's security context do, so that the job manager checks every submission at one place.
 *
 * @param name the account's name, or null when anonymous
 * @param role what it may do
 * @param address the client's network address (null: not known, or not from HTTP)
 */
public record Principal(String name, Role role, String address) {
    /** Work the service does by itself (the demo, restarts) and callers outside HTTP. */
    public static final Principal SYSTEM = new Principal("system", Role.ADMIN);

    /** A principal whose address is not known. */
    public Principal(String name, Role role) {
        this(name, role, null);
    }

    /** This principal calling from {@code address}. */
    public Principal from(String a) {
        return new Principal(name, role, a);
    }

    /**
     * Who the per-caller limits (jobs at once, Execute rate) count: the account, or for anonymous
     * callers their address, so that one anonymous client cannot use up what all others share.
     */
    public String caller() {
        if (!anonymous()) {
            return "user:" + name;
        }
        return address == null ? "anonymous" : "address:" + address;
    }

    private static final ThreadLocal<Principal> CURRENT = new ThreadLocal<>();

    /** An anonymous caller with {@code role}. */
    public static Principal anonymous(Role role) {
        return new Principal(null, role);
    }

    public boolean anonymous() {
        return name == null;
    }

    /** The caller's name for messages. */
    public String describe() {
        return anonymous() ? "an anonymous caller" + (address == null ? "" : " from " + address)
                : "user '" + name + "'";
    }

    /** The principal of the request this thread serves, or {@link #SYSTEM} outside requests. */
    public static Principal current() {
        Principal p = CURRENT.get();
        return p == null ? SYSTEM : p;
    }

    /** Runs {@code work} as {@code who}. */
    public static <T> T runAs(Principal who, java.util.function.Supplier<T> work) {
        Principal before = CURRENT.get();
        CURRENT.set(who);
        try {
            return work.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }
}
