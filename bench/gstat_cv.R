# Ordinary kriging (R gstat) of one purely spatial split, as a yardstick for the hybrid's own
# cross-validation: the variogram fitted as in gstat_peers.R (Exp/Sph/Gau with a nugget,
# fit.method 7), then the held-out test points (when a test file is given; global and 32-point
# neighbourhoods) and 5-fold cross-validation of the training points (krige.cv, fold draws
# seeded 1..5; median and range).
# Coordinates are divided by 1000 (metres to km), as in gstat_peers.R.
# Usage: Rscript bench/gstat_cv.R TRAIN.csv TARGET X Y [TEST.csv]
suppressMessages({library(sp); library(gstat)})
a <- commandArgs(trailingOnly = TRUE)
if (length(a) < 4) { cat("usage: Rscript bench/gstat_cv.R TRAIN.csv TARGET X Y [TEST.csv]\n"); quit(status = 2) }
prep <- function(f) { d <- read.csv(f); d$.x <- d[[a[3]]] / 1000; d$.y <- d[[a[4]]] / 1000; d$.v <- d[[a[2]]]
  coordinates(d) <- ~.x + .y; d }
tr <- prep(a[1])
m <- fit.variogram(variogram(.v ~ 1, tr), vgm(c("Exp", "Sph", "Gau"), nugget = 0.1 * var(tr$.v)), fit.method = 7)
cat(sprintf("fitted: %s nugget %.4g, partial sill %.4g, range %.4g km\n", as.character(m$model[2]), m$psill[1],
            m$psill[2], m$range[2]))
if (length(a) >= 5) {
  te <- prep(a[5])
  k <- krige(.v ~ 1, tr, te, m, debug.level = 0)
  sd <- sqrt(k$var1.var); lo <- k$var1.pred - 1.959964 * sd; hi <- k$var1.pred + 1.959964 * sd
  e <- te$.v - k$var1.pred
  is <- (hi - lo) + 40 * pmax(0, lo - te$.v) + 40 * pmax(0, te$.v - hi)
  cat(sprintf("test (%d points): MAE %.3f RMSE %.3f IS95 %.2f cov95 %.3f\n", length(e), mean(abs(e)),
              sqrt(mean(e^2)), mean(is), mean(te$.v >= lo & te$.v <= hi)))
  # the same variogram in a local neighbourhood of 32 points, as the hybrid's kriging
  k <- krige(.v ~ 1, tr, te, m, nmax = 32, debug.level = 0)
  sd <- sqrt(k$var1.var); lo <- k$var1.pred - 1.959964 * sd; hi <- k$var1.pred + 1.959964 * sd
  e <- te$.v - k$var1.pred
  is <- (hi - lo) + 40 * pmax(0, lo - te$.v) + 40 * pmax(0, te$.v - hi)
  cat(sprintf("test, nmax 32: MAE %.3f RMSE %.3f IS95 %.2f cov95 %.3f\n", mean(abs(e)), sqrt(mean(e^2)),
              mean(is), mean(te$.v >= lo & te$.v <= hi)))
}
r <- sapply(1:5, function(s) { set.seed(s); cv <- krige.cv(.v ~ 1, tr, m, nfold = 5, verbose = FALSE)
  sqrt(mean(cv$residual^2)) })
cat(sprintf("5-fold cross-validation of the training points: RMSE %.3f (%.3f-%.3f over 5 fold draws)\n",
            median(r), min(r), max(r)))
