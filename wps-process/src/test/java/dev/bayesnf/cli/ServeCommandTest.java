package dev.bayesnf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.ServiceConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code serve --max-job-minutes}: a default for every process and limits of single processes. */
class ServeCommandTest {
    @Test
    void jobTimeLimitsParse() {
        Map<String, Duration> d = ServiceConfig.defaults(java.nio.file.Path.of("x"), 0).jobTimeLimits();
        assertEquals(Duration.ofHours(12), d.get(ServiceConfig.ANY_PROCESS));
        Map<String, Duration> m = ServeCommand.jobTimeLimits(List.of("60", "bayesnf:Forecast=5"), d);
        assertEquals(Duration.ofMinutes(60), m.get(ServiceConfig.ANY_PROCESS));
        assertEquals(Duration.ofMinutes(5), m.get("bayesnf:Forecast"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServeCommand.jobTimeLimits(List.of("bayesnf:Fit=soon"), d));
        assertTrue(e.getMessage().contains("'bayesnf:Fit=soon'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServeCommand.jobTimeLimits(List.of("0"), d));
    }
}
