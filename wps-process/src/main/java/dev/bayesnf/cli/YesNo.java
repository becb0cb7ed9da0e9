package dev.bayesnf.cli;

import java.util.Locale;

/** Parses the yes/no values of command-line switches such as {@code --residual-kriging}. */
final class YesNo {
    private YesNo() {}

    /**
     * @param option the option's name, for the message
     * @param value the given value, or null when the option was not given
     * @param otherwise the value when not given
     */
    static boolean parse(String option, String value, boolean otherwise) {
        if (value == null) {
            return otherwise;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "yes":
            case "true":
            case "on":
                return true;
            case "no":
            case "false":
            case "off":
                return false;
            default:
                throw new IllegalArgumentException(option + " takes yes or no, got '" + value + "'");
        }
    }
}
