package dev.bayesnf.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.compute.Backends;
import dev.bayesnf.core.compute.ComputeBackend;
import dev.bayesnf.core.compute.DeviceUnavailableException;
import dev.bayesnf.core.compute.JavaBackend;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration, device numbering and the no-device behaviour of the OpenCL backend. */
final class OpenClBackendTest {

    @Test
    void testRegisteredThroughServiceLoader() {
        List<ComputeBackend> all = Backends.all();
        assertTrue(all.stream().anyMatch(b -> b instanceof OpenClBackend), "backends: " + all);
        assertTrue(all.stream().anyMatch(b -> b.id().equals("java")));
    }

    @Test
    void testReasonsNameTheProblem() {
        String none = OpenClBackend.reason(List.of(), 0).orElseThrow();
        assertTrue(none.contains("no OpenCL device") || none.contains("could not be loaded"), none);
        assertTrue(OpenClBackend.reason(List.of(), 3).isPresent());
    }

    @Test
    void testDeviceRequestsAreParsed() {
        assertEquals(0, OpenClBackend.of("opencl").index());
        assertEquals(2, OpenClBackend.of("OpenCL:2").index());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenClBackend.of("opencl:x"));
        assertTrue(e.getMessage().contains("opencl:x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OpenClBackend.of("opencl:-1"));
    }

    @Test
    void testBackendsSelectPassesTheDeviceNumber() {
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> Backends.select("opencl:999"));
        assertTrue(e.getMessage().contains("opencl:999"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Backends.select("opencl:x"));
        assertTrue(bad.getMessage().contains("opencl:x"), bad.getMessage());
        IllegalArgumentException java = assertThrows(IllegalArgumentException.class, () -> Backends.select("java:1"));
        assertTrue(java.getMessage().contains("no numbered devices"), java.getMessage());
    }

    @Test
    void testMissingDeviceNumberIsExplained() {
        OpenClBackend b = new OpenClBackend(999);
        String reason = b.unavailableReason().orElseThrow();
        assertTrue(reason.contains("999") || reason.contains("no OpenCL device")
                || reason.contains("could not be loaded"), reason);
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, b::requireDevice);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(b.device().startsWith("none"), b.device());
    }

    @Test
    void testAutoPrefersGpusThenCpuDriversThenJava() {
        int java = new JavaBackend().priority();
        assertTrue(OpenClBackend.PRIORITY_GPU > OpenClBackend.PRIORITY_CPU);
        // a CPU driver is for explicit requests only: a collection moving the arrays it computes in kills the JVM
        assertTrue(OpenClBackend.PRIORITY_CPU < java);
        assertTrue(OpenClBackend.PRIORITY_CPU > OpenClBackend.PRIORITY_NONE);
        assertTrue(OpenClBackend.PRIORITY_GPU > java);
        assertTrue(OpenClBackend.PRIORITY_NONE < java);
        assertEquals(OpenClBackend.PRIORITY_NONE, OpenClBackend.priority(List.of(), 0), "no device");
        assertTrue(OpenClBackend.signalChainingPreloaded(), "surefire forks preload libjsig (pom.xml)");
        OpenClBackend b = new OpenClBackend(0);
        if (!OpenClDevices.all().isEmpty()) {
            assertEquals(OpenClDevices.isGpu(OpenClDevices.all().get(0)) ? OpenClBackend.PRIORITY_GPU
                    : OpenClBackend.PRIORITY_CPU, b.priority());
        }
        boolean gpu = !OpenClDevices.all().isEmpty() && OpenClDevices.isGpu(OpenClDevices.all().get(0));
        assertEquals(gpu ? "opencl" : "java", Backends.select("auto").id());
        if (!OpenClDevices.all().isEmpty()) {
            assertEquals("opencl", Backends.select("opencl").id(), "a CPU driver still runs when named");
        }
    }

    /** Main of the child JVM of {@link #testSelectFailsClearlyWithoutOpenCl}. */
    public static void main(String[] args) {
        try {
            ComputeBackend b = Backends.select("opencl");
            System.out.println("SELECTED " + b.id() + " " + b.device());
        } catch (DeviceUnavailableException e) {
            System.out.println("UNAVAILABLE " + e.getMessage());
        }
        System.out.println("AUTO " + Backends.select("auto").id());
    }

    /**
     * A JVM whose OpenCL ICD loader sees no driver (OCL_ICD_VENDORS pointing at an empty folder):
     * {@code Backends.select("opencl")} fails naming the reason, {@code auto} picks java.
     */
    @Test
    void testSelectFailsClearlyWithoutOpenCl(@TempDir Path empty) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OpenClBackendTest.class.getName());
        pb.environment().put("OCL_ICD_VENDORS", empty.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            out = buf.toString(StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        assertTrue(Files.isDirectory(empty));
        assertTrue(out.contains("UNAVAILABLE device 'opencl' cannot run"), out);
        assertTrue(out.contains("no OpenCL device found") || out.contains("could not be loaded"), out);
        assertTrue(out.contains("AUTO java"), out);
    }
}
