package dev.bayesnf.geoserver;

import dev.bayesnf.core.BayesNFModel;
import dev.bayesnf.core.ModelFile;
import dev.bayesnf.service.process.ModelStore;
import dev.bayesnf.service.process.ProcessException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The plugin's model registry: one {@code <id>.bnf} file per model in a folder (GeoServer has no
 * job database to keep them in). Ids look like the service's ({@code m-} and 13 characters).
 * Loaded models are cached. Thread-safe.
 */
final class DirectoryModelStore implements ModelStore {
    private final Path dir;
    private final Map<String, BayesNFModel> cache = new ConcurrentHashMap<>();

    DirectoryModelStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public String add(BayesNFModel model, String jobId, String title) {
        String id = "m-" + UUID.randomUUID().toString().substring(0, 13);
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(id + ".bnf.tmp");
            ModelFile.save(model, tmp);
            Files.move(tmp, dir.resolve(id + ".bnf"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cache.put(id, model);
        return id;
    }

    @Override
    public Optional<BayesNFModel> get(String id) {
        BayesNFModel m = cache.get(id);
        if (m != null) {
            return Optional.of(m);
        }
        Optional<Path> f = file(id);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        try {
            m = ModelFile.load(f.get());
        } catch (IOException e) {
            throw new ProcessException(ProcessException.Code.NO_APPLICABLE_CODE, "model", "model '" + id
                    + "' cannot be read: " + e.getMessage());
        }
        cache.put(id, m);
        return Optional.of(m);
    }

    @Override
    public Optional<Path> file(String id) {
        if (!id.matches("[A-Za-z0-9_-]+")) {
            return Optional.empty();
        }
        Path f = dir.resolve(id + ".bnf");
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    @Override
    public List<String> ids() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".bnf")).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(Comparator.comparing(DirectoryModelStore::modified).thenComparing(Path::toString));
        return files.stream().map(p -> p.getFileName().toString().replaceFirst("\\.bnf$", "")).toList();
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
