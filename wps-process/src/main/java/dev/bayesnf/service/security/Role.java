package dev.bayesnf.service.security;

import java.util.Locale;

/**
 * What an account may do, in the spirit of GeoServer's service security: each role includes the
 * ones before it.
 *
 * <ul>
 *   <li>{@link #VIEWER}: read the capabilities and process descriptions, WMS maps;
 *   <li>{@link #FORECASTER}: also run every process except {@code bayesnf:Fit} (forecasts,
 *       interpolations, predictions with existing models);
 *   <li>{@link #ANALYST}: also fit models;
 *   <li>{@link #ADMIN}: everything, and every user's jobs.
 * </ul>
 */
public enum Role {
    VIEWER, FORECASTER, ANALYST, ADMIN;

    /** The process that trains models: the analyst's. */
    public static final String FIT = "bayesnf:Fit";

    /** Whether this role may run {@code processId}. */
    public boolean mayExecute(String processId) {
        return switch (this) {
            case VIEWER -> false;
            case FORECASTER -> !FIT.equals(processId);
            case ANALYST, ADMIN -> true;
        };
    }

    /** The role's name as written in commands and stored: lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a role name (any case).
     *
     * @throws IllegalArgumentException naming the roles there are
     */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "'; roles: viewer, forecaster, analyst, admin");
    }
}
