package dev.bayesnf.geoserver;

import dev.bayesnf.service.process.BayesProcess;
import dev.bayesnf.service.process.Processes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.geotools.api.data.Parameter;
import org.geotools.api.feature.type.Name;
import org.geotools.api.util.InternationalString;
import org.geotools.feature.NameImpl;
import org.geotools.process.Process;
import org.geotools.process.ProcessFactory;
import org.geotools.util.SimpleInternationalString;

/**
 * The BayesNF processes for GeoTools and GeoServer, in the namespace {@value #NAMESPACE}:
 * {@code bayesnf:Fit}, {@code bayesnf:Forecast}, {@code bayesnf:Interpolate},
 * {@code bayesnf:Predict} and {@code bayesnf:Variogram}, the processes of the BayesNF service with
 * the same inputs, described from the same {@code ProcessSpec}s ({@link Parameters}).
 *
 * <p>Registered in {@code META-INF/services/org.geotools.process.ProcessFactory}, so GeoTools'
 * {@code Processors} and GeoServer's WPS find it without Spring configuration; the WPS admin page
 * and {@code wps.xml} can then enable, restrict and limit the group and each process. The no-argument
 * constructor reads its data folder from the system ({@link PluginEnvironment#fromSystem}).
 *
 * <p>Thread-safe.
 */
public final class BayesNFProcessFactory implements ProcessFactory {
    /** The namespace prefix of every process. */
    public static final String NAMESPACE = "bayesnf";

    private final PluginEnvironment env;
    private final DirectoryModelStore models;
    private final Map<Name, BayesProcess> processes = new LinkedHashMap<>();

    /** The factory GeoTools' service loader creates. */
    public BayesNFProcessFactory() {
        this(PluginEnvironment.fromSystem());
    }

    public BayesNFProcessFactory(PluginEnvironment env) {
        this.env = env;
        this.models = new DirectoryModelStore(env.modelDir());
        for (BayesProcess p : Processes.standard(env.limits())) {
            String id = p.spec().id();
            if (id.startsWith(NAMESPACE + ":")) {
                processes.put(new NameImpl(NAMESPACE, id.substring(NAMESPACE.length() + 1)), p);
            }
        }
    }

    public PluginEnvironment environment() {
        return env;
    }

    @Override
    public InternationalString getTitle() {
        return new SimpleInternationalString("BayesNF (Bayesian Neural Field spatiotemporal prediction)");
    }

    @Override
    public Set<Name> getNames() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(processes.keySet()));
    }

    private BayesProcess process(Name name) {
        BayesProcess p = name == null ? null : processes.get(new NameImpl(name.getNamespaceURI(), name.getLocalPart()));
        if (p == null) {
            throw new IllegalArgumentException("no BayesNF process called " + name + "; processes: " + processes.keySet());
        }
        return p;
    }

    @Override
    public InternationalString getTitle(Name name) {
        return new SimpleInternationalString(process(name).spec().title());
    }

    @Override
    public InternationalString getDescription(Name name) {
        return new SimpleInternationalString(process(name).spec().description());
    }

    @Override
    public Map<String, Parameter<?>> getParameterInfo(Name name) {
        return Parameters.inputs(process(name).spec());
    }

    @Override
    public Map<String, Parameter<?>> getResultInfo(Name name, Map<String, Object> parameters)
            throws IllegalArgumentException {
        return Parameters.outputs(process(name).spec());
    }

    @Override
    public Process create(Name name) {
        return new BayesNFProcess(process(name), env, models);
    }

    @Override
    public boolean supportsProgress(Name name) {
        process(name);
        return true;
    }

    @Override
    public String getVersion(Name name) {
        return process(name).spec().version();
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String toString() {
        return "BayesNFProcessFactory[" + env.dataDir() + ", " + processes.keySet() + "]";
    }
}
