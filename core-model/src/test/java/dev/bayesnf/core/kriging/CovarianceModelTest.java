package dev.bayesnf.core.kriging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The separable and sum-metric forms write, read, check and describe their space and time
 * marginals through one {@link CovarianceModel.MarginalComponent}: the keys, their order, the
 * values and the text are the ones model files and reports already hold.
 */
final class CovarianceModelTest {
    static final CovarianceModel.Separable SEPARABLE =
            new CovarianceModel.Separable(0.1, 0.9, Marginal.SPHERICAL, 3, 0.2, Marginal.MATERN_5_2, 4, 0.3);
    static final CovarianceModel.SumMetric SUM_METRIC = new CovarianceModel.SumMetric(0.1, 0.2, Marginal.EXPONENTIAL,
            3, 0.1, 0.3, Marginal.SPHERICAL, 4, 0.2, 0.4, Marginal.MATERN_5_2, 5, 0.7);

    @Test
    void separableWritesAndDescribesItsMarginalsAsModelFilesHoldThem() {
        assertEquals("{form=separable, nugget=0.1, psill=0.9, space.marginal=sph, space.range=3.0, "
                + "space.nuggetShare=0.2, time.marginal=mat52, time.range=4.0, time.nuggetShare=0.3}",
                SEPARABLE.parameters().toString());
        assertEquals("separable: nugget 0.1000 + partial sill 0.9000 x space sph (range 3.000 m, nugget share 0.2000)"
                + " x time mat52 (range 4.000 time units, nugget share 0.3000)", SEPARABLE.describe("m"));
    }

    @Test
    void sumMetricWritesAndDescribesItsMarginalsAsModelFilesHoldThem() {
        assertEquals("{form=sum-metric, nugget=0.1, space.psill=0.2, space.marginal=exp, space.range=3.0, "
                + "space.nuggetShare=0.1, time.psill=0.3, time.marginal=sph, time.range=4.0, time.nuggetShare=0.2, "
                + "joint.psill=0.4, joint.marginal=mat52, joint.range=5.0, anisotropy=0.7}",
                SUM_METRIC.parameters().toString());
        assertEquals("sum-metric: nugget 0.1000 + space exp (partial sill 0.2000, range 3.000 m, nugget share 0.1000)"
                + " + time sph (partial sill 0.3000, range 4.000 time units, nugget share 0.2000) + joint mat52"
                + " (partial sill 0.4000, range 5.000 m, 0.7000 m per time unit)", SUM_METRIC.describe("m"));
    }

    @Test
    void theMarginalsAreTheFormsOwnParameters() {
        assertEquals(new CovarianceModel.MarginalComponent("space", Marginal.SPHERICAL, 3, 0.2), SEPARABLE.space());
        assertEquals(new CovarianceModel.MarginalComponent("time", Marginal.SPHERICAL, 4, 0.2), SUM_METRIC.time());
        assertEquals(SEPARABLE, new CovarianceModel.Separable(0.1, 0.9, SEPARABLE.space(), SEPARABLE.time()));
        assertEquals(SEPARABLE.scaled(2), CovarianceModel.parse(SEPARABLE.scaled(2).parameters()));
        assertEquals(SUM_METRIC.scaled(2), CovarianceModel.parse(SUM_METRIC.scaled(2).parameters()));
    }

    @Test
    void eachMarginalIsCheckedUnderItsOwnName() {
        Map<String, String> p = new LinkedHashMap<>(SUM_METRIC.parameters());
        p.put("space.range", "-1");
        assertEquals("the spatial range must be positive and finite, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> CovarianceModel.parse(p)).getMessage());
        p.put("space.range", "3");
        p.put("time.nuggetShare", "2");
        assertEquals("the temporal nugget share must be between 0 and 1, got 2.0",
                assertThrows(IllegalArgumentException.class, () -> CovarianceModel.parse(p)).getMessage());
        p.remove("time.nuggetShare");
        assertEquals("covariance model: missing 'time.nuggetShare'",
                assertThrows(IllegalArgumentException.class, () -> CovarianceModel.parse(p)).getMessage());
        assertEquals("the temporal range must be positive and finite, got 0.0", assertThrows(
                IllegalArgumentException.class,
                () -> new CovarianceModel.Separable(0.1, 0.9, Marginal.SPHERICAL, 3, 0.2, Marginal.SPHERICAL, 0, 0.3))
                .getMessage());
    }
}
