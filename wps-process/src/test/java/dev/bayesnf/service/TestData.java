package dev.bayesnf.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Small slices of the bundled data for service tests. */
public final class TestData {
    private TestData() {}

    /** The last {@code days} days of 1978 of the wind training data, as CSV text. */
    public static String windTail(int days) throws IOException {
        Path p = Path.of("..", "test-data", "wind.train.csv");
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        String header = lines.get(0);
        String from = java.time.LocalDate.of(1978, 12, 31).minusDays(days - 1).toString();
        return header + "\n" + lines.stream().skip(1).filter(l -> l.compareTo(from) >= 0)
                .collect(Collectors.joining("\n")) + "\n";
    }
}
