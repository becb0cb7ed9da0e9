package dev.bayesnf.cli;

import dev.bayesnf.core.compute.Backends;
import dev.bayesnf.core.compute.ComputeBackend;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code bayesnf devices}: the compute backends on the class path with their priority, every
 * numbered device of each ({@code opencl:0}, {@code opencl:1}, ...), and what {@code --device auto}
 * picks. The GPU machine's script (bench/gpu/run) prints it first, since that machine has no
 * {@code clinfo}.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the compute backends and their devices (what --device accepts) and the one --device auto picks.")
final class DevicesCommand implements Callable<Integer> {
    /** Numbered devices listed per backend at most. */
    static final int MAX_DEVICES = 64;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String preload = System.getenv("LD_PRELOAD");
        if (preload == null || !preload.contains("libjsig")) {
            out.println("note: libjsig is not preloaded (LD_PRELOAD), so auto does not probe OpenCL; ./bayesnf preloads it");
        }
        for (ComputeBackend b : Backends.all()) {
            out.printf(Locale.ROOT, "backend %s (priority %d): %s%n", b.id(), b.priority(),
                    b.unavailableReason().map(r -> "unavailable: " + r).orElse(b.device()));
            for (int n = 0; n < MAX_DEVICES; n++) {
                ComputeBackend d;
                try {
                    d = b.forRequest(b.id() + ":" + n);
                } catch (IllegalArgumentException e) {
                    break; // no numbered devices (the Java backend)
                }
                if (d.unavailableReason().isPresent()) {
                    break;
                }
                out.printf(Locale.ROOT, "  %s:%d  %s%n", b.id(), n, d.device());
            }
        }
        ComputeBackend auto = Backends.select("auto");
        out.printf(Locale.ROOT, "auto: %s (%s)%n", auto.id(), auto.device());
        out.flush();
        return 0;
    }
}
