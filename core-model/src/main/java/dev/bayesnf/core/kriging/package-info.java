/**
 * Space-time geostatistics of a model's residuals: empirical space-time semivariograms
 * ({@link dev.bayesnf.core.kriging.EmpiricalVariogram}), their weighted least-squares fit to
 * separable and sum-metric covariance models with exponential, spherical and Matérn marginals
 * ({@link dev.bayesnf.core.kriging.VariogramFitter}, in the manner of gstat's
 * {@code fit.variogram} and {@code fit.StVariogram}), and simple or ordinary kriging from a local
 * space-time neighbourhood found through per-time-step k-d trees
 * ({@link dev.bayesnf.core.kriging.ResidualKriging}).
 *
 * <p>Owns: distances (planar in CRS units, or great-circle kilometres), covariance models, the
 * kriging systems. Must not import anything of the neural field (this package knows sites and
 * values, not networks), nor any GIS, HTTP or device library; linear algebra is EJML's and the
 * bounded fits are Hipparchus's BOBYQA.
 */
package dev.bayesnf.core.kriging;
