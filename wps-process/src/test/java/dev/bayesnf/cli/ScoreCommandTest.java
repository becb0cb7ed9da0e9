package dev.bayesnf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bayesnf score}: the scores bench/compare prints for every method. */
final class ScoreCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BayesNFCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static Path testData(String name) {
        Path p = Path.of("test-data", name);
        return Files.exists(p) ? p : Path.of("..", "test-data", name);
    }

    @Test
    void scoresTheReferencesStoredPredictionsJoinedByIndex() {
        Run r = run("score", "--truth", testData("chickenpox.8.test.csv").toString(), "--target", "chickenpox",
                "--predictions", testData("bnf-map.chickenpox.8.pred.csv").toString(), "--mean", "yhat", "--lower",
                "yhat_lower", "--upper", "yhat_upper", "--join", "index");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals("mae,rmse,is95,coverage95,rows", lines[0]);
        String[] v = lines[1].split(",");
        // docs/BENCHMARKS.md: the reference's MAP on the 208 test rows.
        assertEquals(21.688, Double.parseDouble(v[0]), 5e-4);
        assertEquals(25.673, Double.parseDouble(v[1]), 5e-4);
        assertEquals(131.00, Double.parseDouble(v[2]), 5e-3);
        assertEquals(0.981, Double.parseDouble(v[3]), 5e-4);
        assertEquals("208", v[4]);
    }

    @Test
    void rowOrderIntervalScoreAndPointOnly() throws Exception {
        Path t = dir.resolve("t.csv");
        Path p = dir.resolve("p.csv");
        Files.writeString(t, "y\n1\n2\n10\n");
        Files.writeString(p, "mean,q0.025,q0.975\n1,0,2\n3,2.5,4\n8,7,9\n");
        Run r = run("score", "--truth", t.toString(), "--target", "y", "--predictions", p.toString());
        assertEquals(0, r.code(), r.err());
        // MAE (0+1+2)/3, RMSE sqrt(5/3); IS: 2, 1.5 + 40*0.5, 2 + 40*1 -> mean 65.5/3; one of three inside.
        assertEquals("1.000000,1.290994,21.833333,0.333333,3", r.out().strip().split("\n")[1]);
        Run point = run("score", "--truth", t.toString(), "--target", "y", "--predictions", p.toString(), "--point-only");
        assertEquals("1.000000,1.290994,NaN,NaN,3", point.out().strip().split("\n")[1]);
    }

    @Test
    void mismatchedRowsAreBadInput() throws Exception {
        Path t = dir.resolve("t.csv");
        Path p = dir.resolve("p.csv");
        Files.writeString(t, "y\n1\n2\n");
        Files.writeString(p, "mean,q0.025,q0.975\n1,0,2\n");
        Run r = run("score", "--truth", t.toString(), "--target", "y", "--predictions", p.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("1 prediction rows for 2 test rows"), r.err());
        Run missing = run("score", "--truth", t.toString(), "--target", "nosuch", "--predictions", p.toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
    }
}
