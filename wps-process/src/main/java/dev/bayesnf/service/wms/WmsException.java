package dev.bayesnf.service.wms;

/**
 * A request the WMS refuses, reported to the client as a {@code ServiceExceptionReport}
 * (OGC 06-042 Annex E) with an exception {@link #code()} such as {@code InvalidCRS} and,
 * where one parameter is at fault, a {@link #locator()} naming it.
 */
public final class WmsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Codes of OGC 06-042 Table E.1, plus the OWS Common codes the brief asks for. */
    public static final String INVALID_FORMAT = "InvalidFormat";
    public static final String INVALID_CRS = "InvalidCRS";
    public static final String LAYER_NOT_DEFINED = "LayerNotDefined";
    public static final String STYLE_NOT_DEFINED = "StyleNotDefined";
    public static final String LAYER_NOT_QUERYABLE = "LayerNotQueryable";
    public static final String INVALID_POINT = "InvalidPoint";
    public static final String MISSING_DIMENSION_VALUE = "MissingDimensionValue";
    public static final String INVALID_DIMENSION_VALUE = "InvalidDimensionValue";
    public static final String OPERATION_NOT_SUPPORTED = "OperationNotSupported";
    public static final String MISSING_PARAMETER_VALUE = "MissingParameterValue";
    public static final String INVALID_PARAMETER_VALUE = "InvalidParameterValue";
    public static final String NO_APPLICABLE_CODE = "NoApplicableCode";

    private final String code;
    private final String locator;

    public WmsException(String code, String locator, String message) {
        super(message);
        this.code = code;
        this.locator = locator;
    }

    /** The exception code, e.g. {@code LayerNotDefined}. */
    public String code() {
        return code;
    }

    /** The parameter at fault (upper case, e.g. {@code BBOX}), or null. */
    public String locator() {
        return locator;
    }
}
