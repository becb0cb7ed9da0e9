package dev.bayesnf.service.process;

import java.util.List;

/**
 * One process input, described once for WPS DescribeProcess and OGC API process descriptions.
 *
 * @param id identifier
 * @param title short title
 * @param description abstract
 * @param kind literal, complex or bounding box
 * @param dataType for literals: {@code string}, {@code integer}, {@code double}, {@code boolean}
 *     or {@code dateTime} (XML Schema names without prefix)
 * @param defaultValue default as text, or null
 * @param allowedValues for literals: the only accepted values, or empty for any
 * @param minOccurs 0 for optional inputs
 * @param maxOccurs how many values may be given
 * @param unit unit of measure, or null
 * @param formats for complex inputs: accepted formats, the first is the default
 * @param crs for bounding boxes: supported CRS codes, the first is the default
 * @param minimum for numbers: smallest allowed value, or null
 * @param maximum for numbers: largest allowed value, or null
 */
public record InputSpec(String id, String title, String description, DataKind kind, String dataType,
        String defaultValue, List<String> allowedValues, int minOccurs, int maxOccurs, String unit,
        List<Format> formats, List<String> crs, Double minimum, Double maximum) {

    public InputSpec {
        allowedValues = List.copyOf(allowedValues);
        formats = List.copyOf(formats);
        crs = List.copyOf(crs);
    }

    public static Builder literal(String id, String dataType) {
        return new Builder(id, DataKind.LITERAL, dataType);
    }

    public static Builder complex(String id, Format... formats) {
        Builder b = new Builder(id, DataKind.COMPLEX, null);
        b.formats = List.of(formats);
        return b;
    }

    public static Builder bbox(String id, String... crs) {
        Builder b = new Builder(id, DataKind.BBOX, null);
        b.crs = List.of(crs);
        return b;
    }

    /** Step builder for the process catalogue. */
    public static final class Builder {
        private final String id;
        private final DataKind kind;
        private final String dataType;
        private String title;
        private String description = "";
        private String defaultValue;
        private List<String> allowed = List.of();
        private int minOccurs = 1;
        private int maxOccurs = 1;
        private String unit;
        private List<Format> formats = List.of();
        private List<String> crs = List.of();
        private Double minimum;
        private Double maximum;

        private Builder(String id, DataKind kind, String dataType) {
            this.id = id;
            this.kind = kind;
            this.dataType = dataType;
            this.title = id;
        }

        public Builder title(String t) {
            title = t;
            return this;
        }

        public Builder describe(String d) {
            description = d;
            return this;
        }

        /** Optional, with a default (which makes it optional). */
        public Builder defaultValue(String d) {
            defaultValue = d;
            minOccurs = 0;
            return this;
        }

        public Builder optional() {
            minOccurs = 0;
            return this;
        }

        public Builder repeat(int max) {
            maxOccurs = max;
            return this;
        }

        public Builder allowed(String... v) {
            allowed = List.of(v);
            return this;
        }

        public Builder unit(String u) {
            unit = u;
            return this;
        }

        public Builder range(double min, double max) {
            minimum = min;
            maximum = max;
            return this;
        }

        public InputSpec build() {
            return new InputSpec(id, title, description, kind, dataType, defaultValue, allowed, minOccurs,
                    maxOccurs, unit, formats, crs, minimum, maximum);
        }
    }
}
