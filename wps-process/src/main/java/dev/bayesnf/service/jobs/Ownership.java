package dev.bayesnf.service.jobs;

import dev.bayesnf.service.security.Principal;
import dev.bayesnf.service.security.Role;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Who may use what the jobs made, and the small caches the registries share. */
final class Ownership {
    private Ownership() {}

    /**
     * Whether the current caller may use a model or layer of {@code owner}: its owner, an admin,
     * or anyone for one without owner (the service's demo, anonymous fits, those before accounts).
     */
    static boolean usable(String owner) {
        Principal who = Principal.current();
        return owner == null || who.role() == Role.ADMIN || owner.equals(who.name());
    }

    /** A synchronized map that keeps the {@code max} most recently used entries. */
    static <K, V> Map<K, V> lru(int max) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> e) {
                return size() > max;
            }
        });
    }
}
