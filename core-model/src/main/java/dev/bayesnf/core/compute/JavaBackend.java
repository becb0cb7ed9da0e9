package dev.bayesnf.core.compute;

import dev.bayesnf.core.FeatureLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The plain-Java backend: always available, multi-threaded across ensemble members and row
 * chunks, float32 arithmetic with vectorisable matrix products ({@link Gemm}).
 *
 * <p>Thread-safe; each engine owns its own worker pool.
 */
public final class JavaBackend implements ComputeBackend {
    /** Creates the backend (public for {@link java.util.ServiceLoader}). */
    public JavaBackend() {}

    @Override
    public String id() {
        return "java";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public String device() {
        return "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.arch")
                + ", " + Runtime.getRuntime().availableProcessors() + " processors";
    }

    @Override
    public TrainingEngine openTraining(FeatureLayout layout, Objective objective, TrainingData data,
            int members, int threads) {
        return new JavaTrainingEngine(layout, objective, data, members, resolveThreads(threads));
    }

    @Override
    public float[][] forward(FeatureLayout layout, float[][] params, float[][] x, float[][] seasonal,
            int threads) {
        int n = x.length;
        int k = params.length;
        float[][] out = new float[k][n];
        int workers = resolveThreads(threads);
        int chunk = Math.max(NetworkWorkspace.BLOCK, (n + workers - 1) / workers);
        chunk = (chunk + NetworkWorkspace.BLOCK - 1) / NetworkWorkspace.BLOCK * NetworkWorkspace.BLOCK;
        List<int[]> tasks = new ArrayList<>();
        for (int m = 0; m < k; m++) {
            for (int start = 0; start < n; start += chunk) {
                tasks.add(new int[] {m, start, Math.min(n, start + chunk)});
            }
        }
        ThreadLocal<NetworkWorkspace> ws = ThreadLocal.withInitial(() -> new NetworkWorkspace(layout));
        runAll(workers, tasks.size(), i -> {
            int[] task = tasks.get(i);
            NetworkWorkspace w = ws.get();
            w.load(params[task[0]]);
            w.forward(x, seasonal, task[1], task[2], out[task[0]]);
        });
        return out;
    }

    static int resolveThreads(int threads) {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** A task body indexed by task number. */
    interface IndexedTask {
        void run(int index);
    }

    /** Runs tasks 0..count-1 on a temporary pool of the given size, rethrowing the first failure. */
    static void runAll(int workers, int count, IndexedTask body) {
        if (workers <= 1 || count <= 1) {
            for (int i = 0; i < count; i++) {
                body.run(i);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, count), daemonFactory());
        try {
            runAll(pool, count, body);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs tasks 0..count-1 on the given pool and waits for all, rethrowing the first failure. */
    static void runAll(ExecutorService pool, int count, IndexedTask body) {
        List<Future<?>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> body.run(index)));
        }
        RuntimeException failure = null;
        for (Future<?> fu : futures) {
            try {
                fu.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while computing", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    Throwable c = e.getCause();
                    failure = c instanceof RuntimeException ? (RuntimeException) c
                            : new IllegalStateException(c.getMessage(), c);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    static java.util.concurrent.ThreadFactory daemonFactory() {
        return r -> {
            Thread t = new Thread(r, "bayesnf-java-backend");
            t.setDaemon(true);
            return t;
        };
    }
}
