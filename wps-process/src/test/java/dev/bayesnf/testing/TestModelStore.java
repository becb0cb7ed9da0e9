package dev.bayesnf.testing;

import dev.bayesnf.cli.BayesNFCommand;
import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.service.process.ModelStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only {@link ModelStore} over models a test fitted, by id, for running a process directly;
 * and {@link #cli}, the command line run in-process for fitting them.
 */
public record TestModelStore(Map<String, BayesNFModel> models) implements ModelStore {
    /** Runs {@code bayesnf ARGS} in this JVM and fails the test, with its error output, unless it exits 0. */
    public static void cli(String... args) {
        StringWriter err = new StringWriter();
        int code = BayesNFCommand.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        if (code != 0) {
            throw new AssertionError("bayesnf exited " + code + ": " + err);
        }
    }

    @Override
    public String add(BayesNFModel m, String jobId, String title) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<BayesNFModel> get(String id) {
        return Optional.ofNullable(models.get(id));
    }

    @Override
    public Optional<Path> file(String id) {
        return Optional.empty();
    }

    @Override
    public List<String> ids() {
        return List.copyOf(models.keySet());
    }
}
