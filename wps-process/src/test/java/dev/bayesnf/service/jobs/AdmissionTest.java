package dev.bayesnf.service.jobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.ServiceConfig;
import dev.bayesnf.service.process.InputValue;
import dev.bayesnf.service.process.ProcessException;
import dev.bayesnf.service.security.Principal;
import dev.bayesnf.service.security.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whether a caller may submit a job: role, literal sizes, jobs in flight, storage. */
class AdmissionTest {
    private final Admission admission = new Admission(ServiceConfig.defaults(Path.of("unused"), 0));

    @Test
    void theRoleMustAllowTheProcess() {
        ProcessException e = assertThrows(ProcessException.class, () -> admission.admit(
                new Principal("v", Role.VIEWER), "echo", Map.of()));
        assertEquals(ProcessException.Code.FORBIDDEN, e.code());
        assertEquals("Identifier", e.locator());
        assertDoesNotThrow(() -> admission.admit(new Principal("a", Role.ANALYST), "echo", Map.of()));
    }

    @Test
    void literalsHaveALimitAndTheRefusalNamesTheInput() {
        String longest = "x".repeat(JobManager.MAX_LITERAL);
        assertDoesNotThrow(() -> admission.admit(Principal.SYSTEM, "echo", Map.of("value",
                List.of(new InputValue.Literal(longest)))));
        ProcessException e = assertThrows(ProcessException.class, () -> admission.admit(Principal.SYSTEM, "echo",
                Map.of("value", List.of(new InputValue.Literal(longest + "x")))));
        assertEquals(ProcessException.Code.FILE_SIZE_EXCEEDED, e.code());
        assertEquals("value", e.locator());
    }

    @Test
    void aCallerHasRoomForSoManyJobsAndSoMuchStorage() {
        Principal ana = new Principal("ana", Role.ANALYST);
        assertDoesNotThrow(() -> admission.room(ana, 7, () -> 0));
        ProcessException e = assertThrows(ProcessException.class, () -> admission.room(ana, 8, () -> 0));
        assertEquals(ProcessException.Code.TOO_MANY_JOBS, e.code());
        e = assertThrows(ProcessException.class, () -> admission.room(ana, 0, () -> 10L << 30));
        assertEquals(ProcessException.Code.NOT_ENOUGH_STORAGE, e.code());
        assertTrue(e.getMessage().contains("10240.0 MiB"), e.getMessage());
    }
}
