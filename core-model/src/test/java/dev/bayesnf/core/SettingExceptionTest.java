package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's checks name settings neutrally; each front end names them its own way. */
final class SettingExceptionTest {
    @Test
    void optionsAndInputNames() {
        assertEquals("--fourier-degrees", Setting.FOURIER_DEGREES.option());
        assertEquals("fourierDegrees", Setting.FOURIER_DEGREES.id());
        assertEquals("--harmonics", Setting.HARMONICS.option());
        assertEquals("--freq", Setting.FREQ.option());
        assertEquals("--coordinates", Setting.COORDINATES.option());
    }

    @Test
    void harmonicsPerPeriod() {
        SettingException e = assertThrows(SettingException.class, () -> new ModelSpec("y", "t", null, List.of("a"),
                List.of(), List.of("7"), List.of(1, 2), List.of(), List.of(), 4, 1, ObservationModel.NORMAL,
                TargetScaling.NONE));
        assertEquals(Setting.HARMONICS, e.setting());
        assertEquals("'harmonics' needs one count per seasonality period (1), got 2", e.getMessage());
        assertEquals("--harmonics needs one count per seasonality period (1), got 2", e.messageFor("--harmonics"));
    }

    @Test
    void aCalendarPeriodNeedsAFrequency() {
        SettingException e = assertThrows(SettingException.class, () -> new ModelSpec("y", "t", null, List.of("a"),
                List.of(), List.of("W"), List.of(), List.of(), List.of(), 4, 1, ObservationModel.NORMAL,
                TargetScaling.NONE));
        assertEquals(Setting.FREQ, e.setting());
        assertEquals("seasonality period 'W' is a calendar alias, which needs input 'freq'",
                e.messageFor("input 'freq'"));
    }
}
