/**
 * BayesNF, the Bayesian Neural Field of Saad et al. (Nature Communications 15:7942, 2024), as a
 * framework-free library: data handling ({@link dev.bayesnf.core.TrainingStatistics}), features and
 * parameter layout ({@link dev.bayesnf.core.FeatureLayout}), observation models, training
 * ({@link dev.bayesnf.core.BayesNFTrainer}), prediction ({@link dev.bayesnf.core.BayesNFPredictor})
 * and model files ({@link dev.bayesnf.core.ModelFile}).
 */
package dev.bayesnf.core;
