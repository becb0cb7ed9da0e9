package dev.bayesnf.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What a model spec accepts and refuses (spec §1.1), its defaults and its derived arrays. */
final class ModelSpecTest {

    /** A valid spec to vary: target y, time t, features a and b, NORMAL, width 4, depth 1. */
    private static final class Spec {
        String target = "y";
        String time = "t";
        Frequency freq;
        List<String> features = List.of("a", "b");
        List<String> standardize = List.of();
        List<String> seasonality = List.of();
        List<Integer> harmonics = List.of();
        List<Integer> fourierDegrees = List.of();
        List<List<String>> interactions = List.of();
        int width = 4;
        int depth = 1;
        ObservationModel likelihood = ObservationModel.NORMAL;
        TargetScaling targetScaling = TargetScaling.NONE;

        ModelSpec build() {
            return new ModelSpec(target, time, freq, features, standardize, seasonality, harmonics, fourierDegrees,
                    interactions, width, depth, likelihood, targetScaling);
        }
    }

    private static Spec spec() {
        return new Spec();
    }

    private static void assertRefused(Executable build, String... phrases) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "message lacks <" + p + ">: " + e.getMessage());
        }
    }

    // ---- defaults ------------------------------------------------------------------------------

    @Test
    void testNullsBecomeDefaults() {
        ModelSpec s = new ModelSpec("y", "t", null, null, null, null, null, null, null, 4, 1, null, null);
        assertEquals(List.of(), s.features(), "features");
        assertEquals(List.of(), s.standardize(), "standardize");
        assertEquals(List.of(), s.seasonality(), "seasonality");
        assertEquals(List.of(), s.harmonics(), "harmonics");
        assertEquals(List.of(), s.fourierDegrees(), "Fourier degrees");
        assertEquals(List.of(), s.interactions(), "interactions");
        assertEquals(ObservationModel.NORMAL, s.likelihood(), "default likelihood");
        assertEquals(TargetScaling.NONE, s.targetScaling(), "default target scaling in the record");
        assertNull(s.freq(), "no frequency");
    }

    @Test
    void testTwelveArgumentConstructorLeavesTheTargetAsItIs() {
        ModelSpec s = new ModelSpec("y", null, null, List.of("a"), List.of(), List.of(), List.of(), List.of(),
                List.of(), 4, 1, ObservationModel.NORMAL);
        assertEquals(TargetScaling.NONE, s.targetScaling(), "as models of format version 1 were fitted");
        ModelSpec nb = new ModelSpec("n", null, null, List.of("a"), List.of(), List.of(), List.of(), List.of(),
                List.of(), 4, 1, ObservationModel.ZINB);
        assertEquals(TargetScaling.NONE, nb.targetScaling(), "count likelihoods accept the default");
    }

    @Test
    void testListsAreCopiedAndUnmodifiable() {
        List<String> features = new ArrayList<>(List.of("a", "b"));
        List<String> pair = new ArrayList<>(List.of("a", "b"));
        List<List<String>> interactions = new ArrayList<>();
        interactions.add(pair);
        Spec b = spec();
        b.features = features;
        b.interactions = interactions;
        ModelSpec s = b.build();
        features.add("c");
        pair.set(1, "t");
        interactions.add(List.of("a", "t"));
        assertEquals(List.of("a", "b"), s.features(), "features must not follow the caller's list");
        assertEquals(List.of(List.of("a", "b")), s.interactions(), "interactions are copied pair by pair");
        assertThrows(UnsupportedOperationException.class, () -> s.features().add("z"), "features are unmodifiable");
        assertThrows(UnsupportedOperationException.class, () -> s.interactions().get(0).set(0, "z"),
                "an interaction pair is unmodifiable");
    }

    // ---- target, network size ------------------------------------------------------------------

    @Test
    void testTargetIsRequired() {
        for (String bad : Arrays.asList(null, "", "   ")) {
            Spec b = spec();
            b.target = bad;
            assertRefused(b::build, "target column is required");
        }
    }

    @Test
    void testWidthAndDepthMustBePositive() {
        Spec w = spec();
        w.width = 0;
        assertRefused(w::build, "width must be positive", "got 0");
        Spec d = spec();
        d.depth = -2;
        assertRefused(d::build, "depth must be positive", "got -2");
        Spec ok = spec();
        ok.width = 1;
        ok.depth = 1;
        assertEquals(1, ok.build().width(), "width 1 is accepted");
    }

    // ---- likelihood and target scaling ---------------------------------------------------------

    @Test
    void testCountLikelihoodsRefuseTargetScalingOtherThanNone() {
        for (ObservationModel m : List.of(ObservationModel.NB, ObservationModel.ZINB)) {
            Spec b = spec();
            b.likelihood = m;
            b.targetScaling = TargetScaling.STANDARD;
            assertRefused(b::build, "target scaling 'standard'", "normal likelihood only",
                    "the " + m.name().toLowerCase(java.util.Locale.ROOT) + " likelihood", "use target scaling none");
            b.targetScaling = TargetScaling.NONE;
            assertEquals(m, b.build().likelihood(), m + " with NONE is accepted");
            b.targetScaling = null;
            assertEquals(TargetScaling.NONE, b.build().targetScaling(), m + " with no scaling gets NONE");
        }
        Spec normal = spec();
        normal.targetScaling = TargetScaling.STANDARD;
        assertEquals(TargetScaling.STANDARD, normal.build().targetScaling(), "NORMAL accepts STANDARD");
    }

    @Test
    void testWithTargetScaling() {
        Spec b = spec();
        b.standardize = List.of("a");
        b.fourierDegrees = List.of(1, 2, 3);
        b.interactions = List.of(List.of("t", "b"));
        ModelSpec s = b.build();
        ModelSpec std = s.withTargetScaling(TargetScaling.STANDARD);
        assertEquals(TargetScaling.STANDARD, std.targetScaling(), "new scaling");
        assertEquals(TargetScaling.NONE, s.targetScaling(), "the original is unchanged");
        assertEquals(s, std.withTargetScaling(TargetScaling.NONE), "every other component is kept");
        assertEquals(TargetScaling.NONE, std.withTargetScaling(null).targetScaling(), "null means NONE");

        Spec c = spec();
        c.likelihood = ObservationModel.NB;
        ModelSpec nb = c.build();
        assertRefused(() -> nb.withTargetScaling(TargetScaling.STANDARD), "use target scaling none");
    }

    // ---- time, frequency, features -------------------------------------------------------------

    @Test
    void testFrequencyNeedsATimeColumn() {
        Spec b = spec();
        b.time = null;
        b.freq = Frequency.DAILY;
        assertRefused(b::build, "frequency was given but no time column");
    }

    @Test
    void testSomeInputColumnIsNeeded() {
        Spec b = spec();
        b.time = null;
        b.features = List.of();
        assertRefused(b::build, "at least one feature column or a time column");

        Spec timeOnly = spec();
        timeOnly.features = List.of();
        assertEquals(List.of("t"), timeOnly.build().columns(), "time alone is enough");
        Spec featuresOnly = spec();
        featuresOnly.time = null;
        assertEquals(List.of("a", "b"), featuresOnly.build().columns(), "features alone are enough");
    }

    @Test
    void testColumnsListedTwiceAreRefused() {
        Spec dup = spec();
        dup.features = List.of("a", "b", "a");
        assertRefused(dup::build, "column 'a' is listed twice");
        Spec time = spec();
        time.features = List.of("a", "t");
        assertRefused(time::build, "column 't' is the time column; it cannot also be a feature");
    }

    @Test
    void testTargetCannotBeAFeature() {
        Spec b = spec();
        b.features = List.of("a", "y");
        assertRefused(b::build, "target column 'y' cannot be a feature");
    }

    @Test
    void testTargetCannotBeTheTimeColumn() {
        Spec b = spec();
        b.time = "y";
        assertRefused(b::build, "target column 'y' cannot be the time column");
    }

    @Test
    void testColumnsAreTimeThenFeatures() {
        Spec b = spec();
        b.features = List.of("b", "a");
        assertEquals(List.of("t", "b", "a"), b.build().columns(), "time first, features in order");
    }

    // ---- standardize ---------------------------------------------------------------------------

    @Test
    void testOnlyFeaturesCanBeStandardized() {
        Spec time = spec();
        time.standardize = List.of("a", "t");
        assertRefused(time::build, "time column 't' cannot be standardized");
        Spec target = spec();
        target.standardize = List.of("y");
        assertRefused(target::build, "cannot standardize 'y'", "not a feature column");
        Spec unknown = spec();
        unknown.standardize = List.of("z");
        assertRefused(unknown::build, "cannot standardize 'z'", "not a feature column");
        Spec ok = spec();
        ok.standardize = List.of("b", "a");
        assertEquals(List.of("b", "a"), ok.build().standardize(), "feature columns are accepted in any order");
    }

    // ---- Fourier degrees -----------------------------------------------------------------------

    @Test
    void testFourierDegreesNeedOneValuePerColumn() {
        Spec b = spec();
        b.fourierDegrees = List.of(1, 2);
        assertRefused(b::build, "needs 3 values", "one per column: t, a, b", "got 2");
        Spec noTime = spec();
        noTime.time = null;
        noTime.fourierDegrees = List.of(1, 2, 3);
        assertRefused(noTime::build, "needs 2 values", "one per column: a, b", "got 3");
    }

    @Test
    void testNegativeFourierDegreeIsRefused() {
        Spec b = spec();
        b.fourierDegrees = List.of(3, -1, 0);
        assertRefused(b::build, "must not be negative", "got -1");
        Spec zero = spec();
        zero.fourierDegrees = List.of(0, 0, 7);
        assertArrayEquals(new int[] {0, 0, 7}, zero.build().fourierDegreeArray(), "zero degrees are accepted");
    }

    @Test
    void testFourierDegreeArrayDefaultsToFiveEach() {
        assertArrayEquals(new int[] {5, 5, 5}, spec().build().fourierDegreeArray(), "reference default");
        assertEquals(5, ModelSpec.DEFAULT_FOURIER_DEGREE, "the reference's default degree");
    }

    @Test
    void testCoordinateFourierDefault() {
        Spec b = spec();
        b.time = null;
        b.features = List.of("lon", "elev", "lat");
        ModelSpec s = b.build().withCoordinateFourierDefault("lon", "lat");
        assertEquals(List.of(0, 5, 0), s.fourierDegrees(), "coordinates get 0, other features 5");
        assertEquals(0, ModelSpec.DEFAULT_COORDINATE_FOURIER_DEGREE, "this project's coordinate default");

        ModelSpec withTime = spec().build();
        assertSame(withTime, withTime.withCoordinateFourierDefault("a", "b"), "a spec with time is unchanged");

        b.fourierDegrees = List.of(2, 3, 4);
        ModelSpec given = b.build();
        assertSame(given, given.withCoordinateFourierDefault("lon", "lat"), "given degrees are kept");
    }

    // ---- interactions --------------------------------------------------------------------------

    @Test
    void testInteractionMustNameTwoColumns() {
        Spec one = spec();
        one.interactions = List.of(List.of("a"));
        assertRefused(one::build, "interaction names two columns", "got [a]");
        Spec three = spec();
        three.interactions = List.of(List.of("a", "b", "t"));
        assertRefused(three::build, "interaction names two columns", "got [a, b, t]");
    }

    @Test
    void testInteractionMustNameFeatureOrTimeColumns() {
        Spec unknown = spec();
        unknown.interactions = List.of(List.of("a", "z"));
        assertRefused(unknown::build, "interaction a:z", "names 'z'", "not a feature or time column");
        Spec target = spec();
        target.interactions = List.of(List.of("y", "a"));
        assertRefused(target::build, "names 'y'", "not a feature or time column");
    }

    @Test
    void testInteractionIndicesFollowTheColumns() {
        Spec b = spec();
        b.interactions = List.of(List.of("t", "b"), List.of("b", "a"));
        int[][] idx = b.build().interactionIndices();
        assertEquals(2, idx.length, "two interactions");
        assertArrayEquals(new int[] {0, 2}, idx[0], "t is column 0, b column 2");
        assertArrayEquals(new int[] {2, 1}, idx[1], "b then a, in the given order");
    }

    // ---- seasonality and harmonics -------------------------------------------------------------

    @Test
    void testSeasonalityNeedsATimeColumn() {
        Spec b = spec();
        b.time = null;
        b.seasonality = List.of("12");
        assertRefused(b::build, "seasonality needs a time column");
    }

    @Test
    void testHarmonicsNeedOneCountPerPeriod() {
        Spec b = spec();
        b.freq = Frequency.DAILY;
        b.seasonality = List.of("7");
        b.harmonics = List.of(1, 2);
        assertRefused(b::build, "'harmonics' needs one count per seasonality period (1)", "got 2");
        Spec none = spec();
        none.harmonics = List.of(1);
        assertRefused(none::build, "per seasonality period (0)", "got 1");
    }

    @Test
    void testSeasonalityPeriodMustBeANumberOrAlias() {
        Spec b = spec();
        b.freq = Frequency.DAILY;
        b.seasonality = List.of("7", "fortnight");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("'fortnight'") && e.getMessage().contains("neither a number nor one of"),
                e.getMessage());
        assertInstanceOf(NumberFormatException.class, e.getCause(), "the parse failure is kept as the cause");
    }

    @Test
    void testCalendarAliasNeedsAFrequency() {
        Spec b = spec();
        b.seasonality = List.of("Y");
        assertRefused(b::build, "period 'Y' is a calendar alias", "needs 'freq'");
        b.freq = Frequency.DAILY;
        assertEquals(List.of("Y"), b.build().seasonality(), "accepted with a frequency");
    }

    @Test
    void testSeasonalPeriodsConvertAliasesAndNumbers() {
        Spec b = spec();
        b.freq = Frequency.DAILY;
        b.seasonality = List.of("Y", "W", "30.5");
        assertArrayEquals(new double[] {365.25, 7, 30.5}, b.build().seasonalPeriods(), 1e-12,
                "aliases in days, numbers as given");
        Spec weekly = spec();
        weekly.freq = Frequency.WEEKLY;
        weekly.seasonality = List.of("Y");
        assertArrayEquals(new double[] {52.25}, weekly.build().seasonalPeriods(), 1e-12, "a year in weeks");
        Spec numeric = spec();
        numeric.seasonality = List.of("12", "0.5");
        assertArrayEquals(new double[] {12, 0.5}, numeric.build().seasonalPeriods(), 0,
                "numeric time takes any number here");
    }

    @Test
    void testSeasonalPeriodShorterThanOneStepIsRefused() {
        Spec b = spec();
        b.freq = Frequency.DAILY;
        b.seasonality = List.of("0.5");
        ModelSpec s = b.build();
        assertRefused(s::seasonalPeriods, "seasonality period 0.5 is shorter than one time step");
        Spec alias = spec();
        alias.freq = Frequency.WEEKLY;
        alias.seasonality = List.of("D");
        ModelSpec a = alias.build();
        assertRefused(a::seasonalPeriods, "'D' is shorter than one time step of frequency 'W'");
    }

    @Test
    void testSeasonalHarmonics() {
        Spec given = spec();
        given.freq = Frequency.DAILY;
        given.seasonality = List.of("Y", "W");
        given.harmonics = List.of(4, 2);
        assertArrayEquals(new int[] {4, 2}, given.build().seasonalHarmonics(), "as given with a frequency");
        given.harmonics = List.of();
        assertArrayEquals(new int[] {1, 1}, given.build().seasonalHarmonics(), "1 each when not given");
        Spec numeric = spec();
        numeric.seasonality = List.of("12", "7");
        numeric.harmonics = List.of(3, 2);
        assertArrayEquals(new int[] {1, 1}, numeric.build().seasonalHarmonics(), "forced to 1 for numeric time");
    }

    // ---- layout --------------------------------------------------------------------------------

    @Test
    void testLayoutCarriesTheSpecAndTheTimeScale() {
        Spec b = spec();
        b.freq = Frequency.DAILY;
        b.seasonality = List.of("W");
        b.harmonics = List.of(2);
        b.fourierDegrees = List.of(1, 0, 3);
        b.interactions = List.of(List.of("a", "t"));
        b.width = 6;
        b.depth = 2;
        FeatureLayout l = b.build().layout(new TrainingStatistics(0, 40, new double[2], new double[] {1, 1}));
        assertEquals(3, l.columns(), "time and two features");
        assertTrue(l.hasTime(), "has time");
        assertEquals(40f, l.timeScale(), 0, "the data handler's time scale");
        assertArrayEquals(new int[] {1, 0, 3}, l.fourierDegrees(), "Fourier degrees");
        assertArrayEquals(new double[] {1.0 / 7, 2.0 / 7}, l.seasonalFrequencies(), 1e-12, "h / 7 for h = 1, 2");
        assertArrayEquals(new int[] {1, 2}, l.seasonalHarmonics(), "harmonic numbers");
        assertArrayEquals(new int[] {1, 0}, l.interactions()[0], "interaction a:t as indices");
        assertEquals(6, l.width(), "width");
        assertEquals(2, l.depth(), "depth");

        Spec spatial = spec();
        spatial.time = null;
        assertFalse(spatial.build().layout(new TrainingStatistics(0, 1, new double[2], new double[] {1, 1})).hasTime(),
                "no time column");
    }
}
