package dev.bayesnf.core;

import java.util.Locale;

/**
 * The model settings that the model's own checks name in their messages. Each front end names
 * them in its own words ({@link SettingException#messageFor}): the command line by its option
 * ({@link #option}), WPS and OGC API by the input ({@link #id}).
 */
public enum Setting {
    FREQ("freq"),
    HARMONICS("harmonics"),
    FOURIER_DEGREES("fourierDegrees"),
    COORDINATES("coordinates");

    private final String id;

    Setting(String id) {
        this.id = id;
    }

    /** The setting's name as a process input: {@code fourierDegrees}. */
    public String id() {
        return id;
    }

    /** The setting's command-line option: {@code --fourier-degrees}. */
    public String option() {
        return "--" + id.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }
}
