package dev.bayesnf.geoserver;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.api.feature.type.AttributeDescriptor;
import org.geotools.api.feature.type.AttributeType;
import org.geotools.api.feature.type.GeometryDescriptor;
import org.geotools.api.referencing.crs.CoordinateReferenceSystem;
import org.geotools.api.util.InternationalString;
import org.geotools.api.util.ProgressListener;
import org.geotools.data.simple.SimpleFeatureCollection;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

/** Small in-memory fakes of the GeoTools feature and progress interfaces (stand-in build only). */
final class Fakes {
    private Fakes() {}

    static final GeometryFactory GF = new GeometryFactory();

    static Point point(double x, double y) {
        return GF.createPoint(new Coordinate(x, y));
    }

    record Attr(String name, Class<?> binding) implements AttributeDescriptor, AttributeType {
        @Override
        public AttributeType getType() {
            return this;
        }

        @Override
        public String getLocalName() {
            return name;
        }

        @Override
        public Class<?> getBinding() {
            return binding;
        }
    }

    record GeomAttr(String name, CoordinateReferenceSystem crs) implements GeometryDescriptor, AttributeType {
        @Override
        public AttributeType getType() {
            return this;
        }

        @Override
        public String getLocalName() {
            return name;
        }

        @Override
        public Class<?> getBinding() {
            return Geometry.class;
        }

        @Override
        public CoordinateReferenceSystem getCoordinateReferenceSystem() {
            return crs;
        }
    }

    record Type(String name, List<AttributeDescriptor> attributes) implements SimpleFeatureType {
        @Override
        public String getTypeName() {
            return name;
        }

        @Override
        public List<AttributeDescriptor> getAttributeDescriptors() {
            return attributes;
        }

        @Override
        public GeometryDescriptor getGeometryDescriptor() {
            return attributes.stream().filter(a -> a instanceof GeometryDescriptor).map(a -> (GeometryDescriptor) a)
                    .findFirst().orElse(null);
        }

        @Override
        public CoordinateReferenceSystem getCoordinateReferenceSystem() {
            GeometryDescriptor g = getGeometryDescriptor();
            return g == null ? null : g.getCoordinateReferenceSystem();
        }
    }

    record Feature(String id, Type type, Map<String, Object> values) implements SimpleFeature {
        @Override
        public String getID() {
            return id;
        }

        @Override
        public SimpleFeatureType getFeatureType() {
            return type;
        }

        @Override
        public Object getAttribute(String name) {
            return values.get(name);
        }

        @Override
        public Object getDefaultGeometry() {
            return values.get(type.getGeometryDescriptor().getLocalName());
        }
    }

    static final class Collection implements SimpleFeatureCollection {
        final Type type;
        final List<SimpleFeature> features = new ArrayList<>();
        boolean closed;

        Collection(CoordinateReferenceSystem crs, Attr... attributes) {
            List<AttributeDescriptor> a = new ArrayList<>();
            a.add(new GeomAttr("the_geom", crs));
            a.addAll(List.of(attributes));
            type = new Type("observations", a);
        }

        /** Adds a feature: the geometry, then one value per attribute in order. */
        Collection add(Object geometry, Object... values) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("the_geom", geometry);
            for (int i = 0; i < values.length; i++) {
                m.put(type.attributes().get(i + 1).getLocalName(), values[i]);
            }
            features.add(new Feature("observations." + (features.size() + 1), type, m));
            return this;
        }

        @Override
        public SimpleFeatureIterator features() {
            Iterator<SimpleFeature> it = features.iterator();
            return new SimpleFeatureIterator() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public SimpleFeature next() {
                    return it.next();
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
        }

        @Override
        public SimpleFeatureType getSchema() {
            return type;
        }

        @Override
        public int size() {
            return features.size();
        }
    }

    /** Records what a process reports; can cancel itself after a given number of progress calls. */
    static final class RecordingListener implements ProgressListener {
        final List<Float> progress = new ArrayList<>();
        final List<String> tasks = new ArrayList<>();
        int started;
        int completed;
        Throwable failure;
        boolean canceled;
        int cancelAfter = Integer.MAX_VALUE;

        @Override
        public InternationalString getTask() {
            return null;
        }

        @Override
        public void setTask(InternationalString task) {
            tasks.add(task.toString());
        }

        @Override
        public void started() {
            started++;
        }

        @Override
        public void progress(float percent) {
            progress.add(percent);
            if (progress.size() >= cancelAfter) {
                canceled = true;
            }
        }

        @Override
        public float getProgress() {
            return progress.isEmpty() ? 0 : progress.get(progress.size() - 1);
        }

        @Override
        public void complete() {
            completed++;
        }

        @Override
        public void dispose() {}

        @Override
        public boolean isCanceled() {
            return canceled;
        }

        @Override
        public void setCanceled(boolean cancel) {
            canceled = cancel;
        }

        @Override
        public void warningOccurred(String source, String location, String warning) {}

        @Override
        public void exceptionOccurred(Throwable exception) {
            failure = exception;
        }
    }
}
