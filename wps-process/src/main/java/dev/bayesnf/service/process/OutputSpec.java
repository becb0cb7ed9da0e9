package dev.bayesnf.service.process;

import java.util.List;

/**
 * One process output.
 *
 * @param id identifier
 * @param title short title
 * @param description abstract
 * @param kind literal or complex
 * @param dataType for literals: XML Schema type name without prefix
 * @param formats for complex outputs: formats the output can be delivered in, first is default
 */
public record OutputSpec(String id, String title, String description, DataKind kind, String dataType,
        List<Format> formats) {

    public OutputSpec {
        formats = List.copyOf(formats);
    }

    public static OutputSpec literal(String id, String title, String description, String dataType) {
        return new OutputSpec(id, title, description, DataKind.LITERAL, dataType, List.of());
    }

    public static OutputSpec complex(String id, String title, String description, Format... formats) {
        return new OutputSpec(id, title, description, DataKind.COMPLEX, null, List.of(formats));
    }

    /** The format for a requested mime type, or the default when {@code mimeType} is null. */
    public Format format(String mimeType) {
        if (mimeType == null || mimeType.isBlank()) {
            return formats.get(0);
        }
        for (Format f : formats) {
            if (f.matches(mimeType)) {
                return f;
            }
        }
        throw new ProcessException(ProcessException.Code.INVALID_PARAMETER_VALUE, id,
                "output '" + id + "' cannot be delivered as '" + mimeType + "'; formats: "
                        + formats.stream().map(Format::mimeType).toList());
    }
}
