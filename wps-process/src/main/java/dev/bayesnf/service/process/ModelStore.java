package dev.bayesnf.service.process;

import dev.bayesnf.core.BayesNFModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The registry of stored models, by id. */
public interface ModelStore {

    /** Stores a fitted model and returns its id. */
    String add(BayesNFModel model, String jobId, String title);

    /** The model called {@code id}. */
    Optional<BayesNFModel> get(String id);

    /** The model file of {@code id}. */
    Optional<Path> file(String id);

    /** Ids of every stored model, oldest first. */
    List<String> ids();
}
