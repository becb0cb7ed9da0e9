package dev.bayesnf.service.results;

import dev.bayesnf.service.http.Endpoint;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.jobs.JobManager;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Serves stored result files and stored input documents of jobs: {@code /results/{job}/{file}}. */
public final class ResultsEndpoint implements Endpoint {
    private final JobManager jobs;

    public ResultsEndpoint(JobManager jobs) {
        this.jobs = jobs;
    }

    @Override
    public HttpReply handle(String method, String path, Kvp kvp, Function<String, String> headers, byte[] body) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return HttpReply.text(405, "text/plain; charset=UTF-8", "results are read-only\n").withHeader("Allow", "GET, HEAD");
        }
        String[] p = path.startsWith("/") ? path.substring(1).split("/") : path.split("/");
        try {
            Optional<Path> f = Optional.empty();
            String mime = "application/octet-stream";
            if (p.length == 2) {
                f = jobs.resultFile(p[0], p[1]);
                if (f.isPresent()) {
                    mime = jobs.job(p[0]).orElseThrow().outputs().stream().filter(o -> p[1].equals(o.file()))
                            .map(o -> o.mimeType()).findFirst().orElse(mime);
                }
            } else if (p.length == 3 && p[1].equals("inputs")) {
                f = jobs.inputFile(p[0], p[2]);
            }
            if (f.isEmpty()) {
                return HttpReply.text(404, "text/plain; charset=UTF-8", "no such result (unknown, not finished, or expired)\n");
            }
            return HttpReply.file(mime, f.get(), Map.of("Content-Disposition", "attachment; filename=\""
                    + f.get().getFileName() + "\""));
        } catch (dev.bayesnf.service.jobs.DamagedResultException e) {
            return HttpReply.text(500, "text/plain; charset=UTF-8", e.getMessage() + "\n");
        } catch (SQLException | RuntimeException e) {
            return HttpReply.text(404, "text/plain; charset=UTF-8", "no such result\n");
        }
    }

    @Override
    public HttpReply tooLarge(long limit) {
        return HttpReply.text(413, "text/plain; charset=UTF-8", "request too large\n");
    }
}
