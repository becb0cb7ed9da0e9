/**
 * The compute backend SPI of BayesNF ({@link dev.bayesnf.core.compute.ComputeBackend},
 * {@link dev.bayesnf.core.compute.TrainingEngine}) and its plain-Java implementation. A backend
 * trains all ensemble members at once: forward pass, loss, backward pass and Adam update, with the
 * training table resident where the backend computes.
 */
package dev.bayesnf.core.compute;
