package dev.bayesnf.service.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.process.Formats;
import dev.bayesnf.service.process.OutputSpec;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.process.ProcessSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one check of what a request asks of its outputs, for both front ends. */
class ResponseOptionsTest {
    private static final ProcessSpec SPEC = new ProcessSpec("p", "P", "", "1", List.of(), List.of(
            OutputSpec.literal("count", "Count", "", "integer"),
            OutputSpec.complex("map", "Map", "", Formats.GEOTIFF, Formats.TEXT)));

    @Test
    void documentOutputsGiveTheirMediaTypesLiteralOnesNone() {
        ResponseOptions o = ResponseOptions.wps(false, List.of(new ResponseOptions.Output("map", "text/plain", true),
                new ResponseOptions.Output("count", "text/plain", false)));
        assertEquals(Map.of("map", "text/plain"), o.formats(SPEC));
        assertEquals(Map.of(), ResponseOptions.ogcApi(true, List.of(new ResponseOptions.Output("map", null, null)))
                .formats(SPEC));
        assertEquals(Map.of(), ResponseOptions.NONE.formats(SPEC));
    }

    @Test
    void anUnknownOutputOrMediaTypeIsRefusedNamingTheOutput() {
        ProcessException e = assertThrows(ProcessException.class, () -> ResponseOptions.wps(false, List.of(
                new ResponseOptions.Output("nope", null, false))).formats(SPEC));
        assertEquals("nope", e.locator());
        assertTrue(e.getMessage().contains("process p has no output 'nope'; outputs: [count, map]"), e.getMessage());
        e = assertThrows(ProcessException.class, () -> ResponseOptions.ogcApi(false, List.of(
                new ResponseOptions.Output("map", "image/png", null))).formats(SPEC));
        assertEquals(ProcessException.Code.INVALID_PARAMETER_VALUE, e.code());
        assertEquals("map", e.locator());
    }
}
