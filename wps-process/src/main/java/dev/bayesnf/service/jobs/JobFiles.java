package dev.bayesnf.service.jobs;

import dev.bayesnf.core.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory's files of jobs and models: a folder per job ({@code jobs/ID/}: inputs,
 * results, layers), model files ({@code models/}), results checked against their stored size and
 * SHA-256 when served, and the sweep of what no row names (temporary files, folders and files
 * left by a crash).
 *
 * <p>Thread-safe.
 */
final class JobFiles {
    private static final Logger LOG = LoggerFactory.getLogger(JobFiles.class);

    private final Path dataDir;
    private final JobStore store;
    /** Result files whose checksum was checked: path to "size@modified". */
    private final Map<Path, String> verified = Ownership.lru(256);

    JobFiles(Path dataDir, JobStore store) throws IOException {
        this.dataDir = dataDir;
        this.store = store;
        Files.createDirectories(dataDir.resolve("jobs"));
        Files.createDirectories(dataDir.resolve("models"));
    }

    /** Folder of a job's inputs and results. */
    Path jobDir(String id) {
        if (!id.matches("[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("malformed job id");
        }
        return dataDir.resolve("jobs").resolve(id);
    }

    /**
     * The file of a finished job's document output, checked against the size and SHA-256 stored
     * when the job finished (a file checked once is checked again only when its size or time
     * changes).
     *
     * @throws DamagedResultException when the file is missing or differs
     */
    Path storedFile(Job job, StoredOutput o) throws DamagedResultException {
        Path dir = jobDir(job.id());
        Path p = dir.resolve(o.file()).normalize();
        String problem = null;
        try {
            if (!p.startsWith(dir) || !Files.isRegularFile(p)) {
                problem = "missing";
            } else if (o.sha256() != null) {
                long size = Files.size(p);
                String stamp = size + "@" + Files.getLastModifiedTime(p).toMillis();
                if (!stamp.equals(verified.get(p))) {
                    if ((o.size() != null && o.size() != size) || !o.sha256().equals(DurableFiles.sha256(p))) {
                        problem = "damaged: its content differs from what the job stored";
                    } else {
                        verified.put(p, stamp);
                    }
                }
            }
        } catch (IOException e) {
            problem = "unreadable";
        }
        if (problem != null) {
            LOG.error("result {} of job {} is {}", o.file(), job.id(), problem);
            throw new DamagedResultException("the stored result '" + o.id() + "' of job " + job.id() + " is " + problem
                    + "; it cannot be served (submit the job again)");
        }
        return p;
    }

    /**
     * Deletes what a crash or an interrupted run left that nothing names (before any job runs):
     * temporary files, job folders without a job, model files without a model row, and model rows
     * of jobs that did not succeed (a Fit stopped after storing its model).
     *
     * With {@code before} null, everything (at start-up); with {@code before} (while jobs run) only files and folders
     * last modified before it, and no model rows: a job's folder exists a moment before its row,
     * a model's file before its row, a temporary file while it is written.
     */
    /**
     * The bytes of the jobs of an account (null: anonymous callers): their requests and outputs in
     * the database (counted as characters) and their folders (inputs, results, layers).
     */
    long bytesOf(String owner) throws SQLException, IOException {
        long total = 0;
        for (Map.Entry<String, Long> job : store.jobSizesOf(owner).entrySet()) {
            total += job.getValue();
            Path dir;
            try {
                dir = jobDir(job.getKey());
            } catch (IllegalArgumentException e) {
                continue;
            }
            total += treeSize(dir);
        }
        return total;
    }

    /**
     * The result file {@code name} of a job, when the job is successful and stored it (no path
     * from a request reaches anything else), checked as {@link #storedFile}.
     */
    java.util.Optional<Path> resultFile(Job job, String name) throws DamagedResultException {
        if (job.status() != JobStatus.SUCCESSFUL) {
            return java.util.Optional.empty();
        }
        for (StoredOutput o : job.outputs()) {
            if (o.file() != null && o.file().equals(name)) {
                return java.util.Optional.of(storedFile(job, o));
            }
        }
        return java.util.Optional.empty();
    }

    /** The stored input document {@code name} (a plain file name) of a job, if it has one. */
    java.util.Optional<Path> inputFile(String jobId, String name) {
        Path p = jobDir(jobId).resolve("inputs").resolve(name).normalize();
        return p.startsWith(jobDir(jobId)) && Files.isRegularFile(p) ? java.util.Optional.of(p)
                : java.util.Optional.empty();
    }

    /** Deletes what an interrupted run of a job wrote; its inputs stay. */
    void deletePartialResults(String jobId) throws IOException {
        Path dir = jobDir(jobId);
        try (Stream<Path> partial = Files.exists(dir) ? Files.list(dir)
                : Stream.empty()) {
            for (Path f : partial.toList()) {
                if (!f.getFileName().toString().equals("inputs")) {
                    deleteTree(f);
                }
            }
        }
    }

    void sweepLeftovers(Instant before, java.util.function.Predicate<String> running) throws SQLException, IOException {
        java.util.function.Predicate<Path> old = p -> {
            if (before == null) {
                return true;
            }
            try {
                return Files.getLastModifiedTime(p).toInstant().isBefore(before);
            } catch (IOException e) {
                return false;
            }
        };
        java.util.Set<String> ids = store.jobIds();
        Path jobsDir = dataDir.resolve("jobs");
        Path modelsDir = dataDir.resolve("models");
        int removed = 0;
        try (Stream<Path> s = Files.list(jobsDir)) {
            for (Path d : s.toList()) {
                if (!ids.contains(d.getFileName().toString()) && !running.test(d.getFileName().toString())
                        && old.test(d)) {
                    deleteTree(d);
                    removed++;
                }
            }
        }
        try (Stream<Path> s = Files.walk(jobsDir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(DurableFiles.TMP_SUFFIX)
                    && Files.isRegularFile(p) && old.test(p)).toList()) {
                Files.deleteIfExists(f);
                removed++;
            }
        }
        java.util.Set<String> failedJobs = new java.util.HashSet<>();
        for (Job j : store.jobsIn(JobStatus.FAILED, JobStatus.DISMISSED)) {
            failedJobs.add(j.id());
        }
        java.util.Set<Path> named = new java.util.HashSet<>();
        for (JobStore.ModelRow m : store.models()) {
            Path f = dataDir.resolve(m.file()).normalize();
            if (before == null && m.jobId() != null && failedJobs.contains(m.jobId())) {
                store.deleteModel(m.id());
                Files.deleteIfExists(f);
                removed++;
            } else {
                named.add(f);
                if (!Files.isRegularFile(f)) {
                    LOG.error("model {} has lost its file {}", m.id(), m.file());
                }
            }
        }
        try (Stream<Path> s = Files.list(modelsDir)) {
            for (Path f : s.toList()) {
                if (!named.contains(f.normalize()) && Files.isRegularFile(f) && old.test(f)) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            DurableFiles.forceDirectory(jobsDir);
            DurableFiles.forceDirectory(modelsDir);
            LOG.info("{}: {} leftover file(s) or folder(s) removed", before == null ? "start-up" : "sweep", removed);
        }
    }

    static long treeSize(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long[] sum = {0};
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                sum[0] += a.size();
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                // a file removed while walking (a job finishing or expiring)
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return sum[0];
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }
}
