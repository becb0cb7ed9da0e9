package dev.bayesnf.core.kriging;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A stationary space-time covariance C(h, u) of a zero-mean residual field, with h the spatial
 * distance (in the {@link DistanceMetric}'s unit) and u the absolute time lag (in time units),
 * and the semivariogram γ(h, u) = C(0, 0) − C(h, u). Every form has a nugget at (0, 0): the
 * measurement error and micro-scale variation that no neighbour explains.
 *
 * <p>Forms, as in gstat's {@code vgmST}:
 * <ul>
 *   <li>{@link PureNugget}: no structure, C = sill at (0, 0) only;
 *   <li>{@link Spatial}: purely spatial data, C = n·1[h=0] + p·ρ(h);
 *   <li>{@link Separable}: C = n·1[0,0] + p·c_s(h)·c_t(u), each marginal with its own nugget share
 *       (c_s(h) = (1 − η_s)ρ_s(h) + η_s·1[h=0], likewise c_t);
 *   <li>{@link SumMetric}: a purely spatial, a purely temporal and a joint component,
 *       C = n·1[0,0] + p_s·c_s(h) + p_t·c_t(u) + p_j·ρ_j(√(h² + (κu)²)); the spatial one is
 *       constant in time (lasting differences between places), the temporal one constant in space
 *       (a common signal of each time), κ converts time to distance.
 * </ul>
 * Each is positive definite: sums and products of positive definite functions are.
 */
public sealed interface CovarianceModel permits CovarianceModel.PureNugget, CovarianceModel.Spatial,
        CovarianceModel.Separable, CovarianceModel.SumMetric {

    /** C(h, u); {@code h} and {@code u} are non-negative. */
    double covariance(double h, double u);

    /** C(0, 0): the variance of a new observation. */
    default double sill() {
        return covariance(0, 0);
    }

    /** γ(h, u) = C(0, 0) − C(h, u). */
    default double semivariance(double h, double u) {
        return sill() - covariance(h, u);
    }

    /** The form's name: nugget, spatial, separable or sum-metric. */
    String form();

    /** The parameters by name (marginals by their short names), for files and documents. */
    Map<String, String> parameters();

    /** One line for people, in the given distance unit. */
    String describe(String distanceUnit);

    /** The model with every variance (nugget and partial sills) multiplied by {@code factor}. */
    CovarianceModel scaled(double factor);

    /** Reads a model from {@link #parameters()}. */
    static CovarianceModel parse(Map<String, String> p) {
        String form = p.getOrDefault("form", "");
        try {
            switch (form) {
                case "nugget":
                    return new PureNugget(d(p, "sill"));
                case "spatial":
                    return new Spatial(d(p, "nugget"), d(p, "psill"), Marginal.parse(req(p, "marginal")), d(p, "range"));
                case "separable":
                    return new Separable(d(p, "nugget"), d(p, "psill"), MarginalComponent.parse(p, "space"),
                            MarginalComponent.parse(p, "time"));
                case "sum-metric":
                    return new SumMetric(d(p, "nugget"), d(p, "space.psill"), MarginalComponent.parse(p, "space"),
                            d(p, "time.psill"), MarginalComponent.parse(p, "time"), d(p, "joint.psill"),
                            Marginal.parse(req(p, "joint.marginal")), d(p, "joint.range"), d(p, "anisotropy"));
                default:
                    throw new IllegalArgumentException("unknown covariance form '" + form + "'");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("covariance model: " + e.getMessage(), e);
        }
    }

    private static String req(Map<String, String> p, String k) {
        String v = p.get(k);
        if (v == null) {
            throw new IllegalArgumentException("covariance model: missing '" + k + "'");
        }
        return v;
    }

    private static double d(Map<String, String> p, String k) {
        return Double.parseDouble(req(p, k));
    }

    private static void checkVariance(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite non-negative variance, got " + v);
        }
    }

    private static void checkRange(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
        }
    }

    private static void checkShare(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, got " + v);
        }
    }

    /**
     * A marginal's correlation at lag d with a nugget share: (1 − share)·ρ(d) + share at d = 0
     * (the space and time factors of the separable and sum-metric forms).
     */
    private static double withNugget(Marginal marginal, double d, double range, double share) {
        return (1 - share) * marginal.correlation(d, range) + (d == 0 ? share : 0);
    }

    private static String num(double v) {
        return Double.toString(v);
    }

    private static String g(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /**
     * The space or the time marginal of the {@link Separable} and {@link SumMetric} forms: a
     * correlation ρ with its range and its own nugget share, (1 − share)·ρ(d) + share·1[d=0], at
     * distances in the distance unit for space and lags in time units for time. Both forms check,
     * write, read and describe a marginal the same way, under the keys {@code space.*} and
     * {@code time.*}; a partial sill of its own (the sum-metric form's) stays with the form.
     *
     * @param axis "space" or "time": the prefix of its keys
     */
    record MarginalComponent(String axis, Marginal marginal, double range, double nuggetShare) {
        public MarginalComponent {
            if (!"space".equals(axis) && !"time".equals(axis)) {
                throw new IllegalArgumentException("a marginal is of space or time, not '" + axis + "'");
            }
            checkRange("the " + adjective(axis) + " range", range);
            checkShare("the " + adjective(axis) + " nugget share", nuggetShare);
        }

        private static String adjective(String axis) {
            return "space".equals(axis) ? "spatial" : "temporal";
        }

        /** Reads the marginal of {@code axis} from a model's {@link CovarianceModel#parameters()}. */
        static MarginalComponent parse(Map<String, String> p, String axis) {
            return new MarginalComponent(axis, Marginal.parse(req(p, axis + ".marginal")), d(p, axis + ".range"),
                    d(p, axis + ".nuggetShare"));
        }

        /** Adds the marginal's kind, range and nugget share to a model's parameters. */
        void putParameters(Map<String, String> m) {
            m.put(axis + ".marginal", marginal.id());
            m.put(axis + ".range", num(range));
            m.put(axis + ".nuggetShare", num(nuggetShare));
        }

        /**
         * "space exp (range 3.000 m, nugget share 0.2000)" and the like, {@code sill} (such as
         * "partial sill 0.5000, ") written before the range.
         */
        String describe(String distanceUnit, String sill) {
            return axis + " " + marginal.id() + " (" + sill + "range " + g(range) + " "
                    + ("space".equals(axis) ? distanceUnit : "time units") + ", nugget share " + g(nuggetShare) + ")";
        }
    }

    /** No spatial or temporal structure: C(0, 0) = sill, 0 elsewhere. */
    record PureNugget(double sill) implements CovarianceModel {
        public PureNugget {
            checkVariance("the sill", sill);
        }

        @Override
        public double covariance(double h, double u) {
            return h == 0 && u == 0 ? sill : 0;
        }

        @Override
        public String form() {
            return "nugget";
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("form", form());
            m.put("sill", num(sill));
            return m;
        }

        @Override
        public String describe(String unit) {
            return "pure nugget " + g(sill);
        }

        @Override
        public CovarianceModel scaled(double f) {
            return new PureNugget(sill * f);
        }
    }

    /** C(h) = nugget·1[h=0] + psill·ρ(h; range), for data without time. */
    record Spatial(double nugget, double psill, Marginal marginal, double range) implements CovarianceModel {
        public Spatial {
            checkVariance("the nugget", nugget);
            checkVariance("the partial sill", psill);
            checkRange("the range", range);
        }

        @Override
        public double covariance(double h, double u) {
            return (h == 0 && u == 0 ? nugget : 0) + psill * marginal.correlation(h, range);
        }

        @Override
        public String form() {
            return "spatial";
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("form", form());
            m.put("nugget", num(nugget));
            m.put("psill", num(psill));
            m.put("marginal", marginal.id());
            m.put("range", num(range));
            return m;
        }

        @Override
        public String describe(String unit) {
            return "spatial: nugget " + g(nugget) + " + " + marginal.id() + " partial sill " + g(psill) + ", range "
                    + g(range) + " " + unit;
        }

        @Override
        public CovarianceModel scaled(double f) {
            return new Spatial(nugget * f, psill * f, marginal, range);
        }
    }

    /** C(h, u) = nugget·1[0,0] + psill·c_s(h)·c_t(u). */
    record Separable(double nugget, double psill, Marginal spaceMarginal, double spaceRange, double spaceNuggetShare,
            Marginal timeMarginal, double timeRange, double timeNuggetShare) implements CovarianceModel {
        public Separable {
            checkVariance("the nugget", nugget);
            checkVariance("the partial sill", psill);
            // each marginal checks its range and nugget share
            new MarginalComponent("space", spaceMarginal, spaceRange, spaceNuggetShare);
            new MarginalComponent("time", timeMarginal, timeRange, timeNuggetShare);
        }

        /** The model with its space and time marginals given whole. */
        public Separable(double nugget, double psill, MarginalComponent space, MarginalComponent time) {
            this(nugget, psill, space.marginal(), space.range(), space.nuggetShare(), time.marginal(), time.range(),
                    time.nuggetShare());
        }

        @Override
        public double covariance(double h, double u) {
            double cs = withNugget(spaceMarginal, h, spaceRange, spaceNuggetShare);
            double ct = withNugget(timeMarginal, u, timeRange, timeNuggetShare);
            return (h == 0 && u == 0 ? nugget : 0) + psill * cs * ct;
        }

        @Override
        public String form() {
            return "separable";
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("form", form());
            m.put("nugget", num(nugget));
            m.put("psill", num(psill));
            space().putParameters(m);
            time().putParameters(m);
            return m;
        }

        @Override
        public String describe(String unit) {
            return "separable: nugget " + g(nugget) + " + partial sill " + g(psill) + " x " + space().describe(unit, "")
                    + " x " + time().describe(unit, "");
        }

        @Override
        public CovarianceModel scaled(double f) {
            return new Separable(nugget * f, psill * f, space(), time());
        }

        /** The spatial marginal. */
        public MarginalComponent space() {
            return new MarginalComponent("space", spaceMarginal, spaceRange, spaceNuggetShare);
        }

        /** The temporal marginal. */
        public MarginalComponent time() {
            return new MarginalComponent("time", timeMarginal, timeRange, timeNuggetShare);
        }
    }

    /**
     * C(h, u) = nugget·1[0,0] + spacePsill·c_s(h) + timePsill·c_t(u)
     * + jointPsill·ρ_j(√(h² + (anisotropy·u)²)).
     */
    record SumMetric(double nugget, double spacePsill, Marginal spaceMarginal, double spaceRange,
            double spaceNuggetShare, double timePsill, Marginal timeMarginal, double timeRange, double timeNuggetShare,
            double jointPsill, Marginal jointMarginal, double jointRange, double anisotropy) implements CovarianceModel {
        public SumMetric {
            checkVariance("the nugget", nugget);
            checkVariance("the spatial partial sill", spacePsill);
            checkVariance("the temporal partial sill", timePsill);
            checkVariance("the joint partial sill", jointPsill);
            // each marginal checks its range and nugget share
            new MarginalComponent("space", spaceMarginal, spaceRange, spaceNuggetShare);
            new MarginalComponent("time", timeMarginal, timeRange, timeNuggetShare);
            checkRange("the joint range", jointRange);
            checkRange("the anisotropy", anisotropy);
        }

        /** The model with its space and time marginals given whole. */
        public SumMetric(double nugget, double spacePsill, MarginalComponent space, double timePsill,
                MarginalComponent time, double jointPsill, Marginal jointMarginal, double jointRange,
                double anisotropy) {
            this(nugget, spacePsill, space.marginal(), space.range(), space.nuggetShare(), timePsill, time.marginal(),
                    time.range(), time.nuggetShare(), jointPsill, jointMarginal, jointRange, anisotropy);
        }

        @Override
        public double covariance(double h, double u) {
            double cs = withNugget(spaceMarginal, h, spaceRange, spaceNuggetShare);
            double ct = withNugget(timeMarginal, u, timeRange, timeNuggetShare);
            double ku = anisotropy * u;
            double cj = jointMarginal.correlation(Math.sqrt(h * h + ku * ku), jointRange);
            return (h == 0 && u == 0 ? nugget : 0) + spacePsill * cs + timePsill * ct + jointPsill * cj;
        }

        @Override
        public String form() {
            return "sum-metric";
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("form", form());
            m.put("nugget", num(nugget));
            m.put("space.psill", num(spacePsill));
            space().putParameters(m);
            m.put("time.psill", num(timePsill));
            time().putParameters(m);
            m.put("joint.psill", num(jointPsill));
            m.put("joint.marginal", jointMarginal.id());
            m.put("joint.range", num(jointRange));
            m.put("anisotropy", num(anisotropy));
            return m;
        }

        @Override
        public String describe(String unit) {
            return "sum-metric: nugget " + g(nugget) + " + "
                    + space().describe(unit, "partial sill " + g(spacePsill) + ", ") + " + "
                    + time().describe(unit, "partial sill " + g(timePsill) + ", ") + " + joint " + jointMarginal.id()
                    + " (partial sill " + g(jointPsill) + ", range " + g(jointRange) + " " + unit + ", "
                    + g(anisotropy) + " " + unit + " per time unit)";
        }

        @Override
        public CovarianceModel scaled(double f) {
            return new SumMetric(nugget * f, spacePsill * f, space(), timePsill * f, time(), jointPsill * f,
                    jointMarginal, jointRange, anisotropy);
        }

        /** The spatial marginal (its partial sill is {@link #spacePsill()}). */
        public MarginalComponent space() {
            return new MarginalComponent("space", spaceMarginal, spaceRange, spaceNuggetShare);
        }

        /** The temporal marginal (its partial sill is {@link #timePsill()}). */
        public MarginalComponent time() {
            return new MarginalComponent("time", timeMarginal, timeRange, timeNuggetShare);
        }
    }
}
