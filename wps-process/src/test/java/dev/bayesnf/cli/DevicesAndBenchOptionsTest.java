package dev.bayesnf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.core.Estimator;
import org.junit.jupiter.api.Test;

/**
 * What bench/gpu/run uses of the command line besides fit, predict and forecast: {@code devices},
 * the {@code wind-gpu} configuration and {@code bench --progress}.
 */
final class DevicesAndBenchOptionsTest {
    @Test
    void devicesListsEveryBackendItsDevicesAndTheAutomaticChoice() {
        CommandLineTest.Run r = CommandLineTest.run("devices");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend java (priority 0): Java "), r.out());
        // CI installs pocl (.ci/run): the OpenCL backend lists it as device 0
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  opencl:0  OpenCL device 0: ")), r.out());
        // a CPU driver is never chosen automatically
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("auto: java (")), r.out());
    }

    @Test
    void windGpuIsTheProtocolsAcceleratorConfigurationAndNotInTheDefaultRun() {
        BenchCommand.Config c = BenchCommand.config("wind-gpu");
        assertEquals(512, c.spec().width());
        assertEquals(2, c.spec().depth());
        assertEquals(Estimator.MAP, c.train0().estimator());
        assertEquals(16, c.train0().ensemble());
        assertEquals(1000, c.train0().epochs());
        assertEquals(0, c.train0().batch(), "full batch");
        assertTrue(!BenchCommand.ALL.contains("wind-gpu"));
        CommandLineTest.Run bad = CommandLineTest.run("bench", "--config", "nosuch");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("wind-gpu"), bad.err());
    }

    @Test
    void progressPrintsTheFitsSizeAndItsEpochs() {
        CommandLineTest.Run r = CommandLineTest.run("bench", "--config", "chickenpox-map", "--device", "java",
                "--ensemble", "1", "--epochs", "2", "--progress", "--data-dir", FidelityTest.DATA.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("bench: chickenpox-map on java: 10232 rows, 1 particles, 2 epochs of 1 steps, "), r.err());
        assertTrue(r.err().matches("(?s).* [0-9.e-]+ TFLOP of training\n.*"), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("chickenpox-map   bayesnf    java")), r.out());
    }
}
