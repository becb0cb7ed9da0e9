package dev.bayesnf.service.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OGC key-value-pair request parameters: keys are case-insensitive, values case-sensitive
 * (OWS Common 1.1 §11.5). A repeated key keeps its first value.
 */
public final class Kvp {
    private final Map<String, String> values;
    /** The values as they came in the query string, before percent-decoding (empty for {@link #of}). */
    private final Map<String, String> raw;

    private Kvp(Map<String, String> values, Map<String, String> raw) {
        this.values = Collections.unmodifiableMap(values);
        this.raw = Collections.unmodifiableMap(raw);
    }

    /**
     * As {@link #parse}, but a query that cannot be percent-decoded gives no parameters (the
     * request is then refused for what it lacks, in its protocol's own words).
     */
    public static Kvp parseOrEmpty(String query) {
        try {
            return parse(query);
        } catch (IllegalArgumentException e) {
            return parse(null);
        }
    }

    /** Parses a URL query string (without the leading '?'); null or empty gives no parameters. */
    public static Kvp parse(String query) {
        Map<String, String> m = new LinkedHashMap<>();
        Map<String, String> raw = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                m.putIfAbsent(k.toLowerCase(Locale.ROOT), v);
                raw.putIfAbsent(k.toLowerCase(Locale.ROOT), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return new Kvp(m, raw);
    }

    /** Builds parameters from a map (keys made case-insensitive). */
    public static Kvp of(Map<String, String> map) {
        Map<String, String> m = new LinkedHashMap<>();
        map.forEach((k, v) -> m.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        return new Kvp(m, Map.of());
    }

    /**
     * Decodes percent-encoding ({@code application/x-www-form-urlencoded}, '+' a space).
     *
     * @throws IllegalArgumentException for a malformed escape
     */
    public static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed URL encoding in '" + s + "'", e);
        }
    }

    /**
     * The value of {@code key} as it came in the query string, still percent-encoded, or null
     * (also for parameters built by {@link #of}). For values with a structure of their own
     * (WPS DataInputs: {@code id=value@attr=value;...}), which must be split before they are
     * decoded, so that an encoded separator ({@code %3B}) stays part of a value.
     */
    public String raw(String key) {
        return raw.get(key.toLowerCase(Locale.ROOT));
    }

    /** The value of {@code key} (any case), or null. */
    public String get(String key) {
        return values.get(key.toLowerCase(Locale.ROOT));
    }

    public boolean has(String key) {
        return values.containsKey(key.toLowerCase(Locale.ROOT));
    }

    /** All parameters, keys lower-cased. */
    public Map<String, String> asMap() {
        return values;
    }
}
