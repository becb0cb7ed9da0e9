/**
 * The OpenCL compute backend of BayesNF ({@link dev.bayesnf.opencl.OpenClBackend}): Aparapi
 * kernels for the training step of a whole ensemble and for prediction, registered with
 * {@link java.util.ServiceLoader} as a {@link dev.bayesnf.core.compute.ComputeBackend}.
 */
package dev.bayesnf.opencl;
