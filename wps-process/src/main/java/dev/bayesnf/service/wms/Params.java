package dev.bayesnf.service.wms;

import dev.bayesnf.service.http.Kvp;
import java.util.Locale;

/**
 * Typed access to WMS request parameters that turns every missing or malformed value into a
 * {@link WmsException} naming the parameter and the value.
 */
final class Params {
    private final Kvp kvp;

    Params(Kvp kvp) {
        this.kvp = kvp;
    }

    /** The trimmed value, or null when absent. */
    String optional(String name) {
        String v = kvp.get(name);
        return v == null ? null : v.trim();
    }

    /** The trimmed value; absent or empty is {@code MissingParameterValue}. */
    String required(String name) {
        String v = optional(name);
        if (v == null || v.isEmpty()) {
            throw new WmsException(WmsException.MISSING_PARAMETER_VALUE, name,
                    "the parameter " + name + " is required but " + (v == null ? "missing" : "empty"));
        }
        return v;
    }

    /** A required integer in [min, max]; otherwise {@code code} (InvalidParameterValue by default). */
    int integer(String name, int min, int max, String code) {
        String v = required(name);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new WmsException(code, name, name + " must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new WmsException(code, name, name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** A boolean written TRUE or FALSE (any case); absent gives {@code dflt}. */
    boolean bool(String name, boolean dflt) {
        String v = optional(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        switch (v.toUpperCase(Locale.ROOT)) {
            case "TRUE":
            case "1":
                return true;
            case "FALSE":
            case "0":
                return false;
            default:
                throw new WmsException(WmsException.INVALID_PARAMETER_VALUE, name,
                        name + " must be TRUE or FALSE, got '" + v + "'");
        }
    }

    /** A colour 0xRRGGBB (or #RRGGBB); absent gives {@code dflt}. */
    int colour(String name, int dflt) {
        String v = optional(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        String hex = v.startsWith("0x") || v.startsWith("0X") ? v.substring(2) : v.startsWith("#") ? v.substring(1) : null;
        if (hex != null && hex.length() == 6) {
            try {
                return Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new WmsException(WmsException.INVALID_PARAMETER_VALUE, name,
                name + " must be a hexadecimal colour 0xRRGGBB, got '" + v + "'");
    }
}
