package dev.bayesnf.service.jobs;

import dev.bayesnf.service.security.Principal;
import java.util.concurrent.Future;

/** State of a queued or running job, held in memory; the store gets it at most once a second. */
final class RunningJob {
    volatile Job job;
    volatile boolean cancelled;
    /** Set with {@link #cancelled} when the job ran past its process's time limit. */
    volatile boolean timedOut;
    volatile long lastWrite;
    volatile Future<?> future;
    /** The account that submitted the job (null: anonymous or the service). */
    final String owner;
    /** Whom the per-caller limit counts the job for ({@link Principal#caller}). */
    final String caller;

    RunningJob(Job job, String owner, String caller) {
        this.job = job;
        this.owner = owner;
        this.caller = caller;
    }
}
