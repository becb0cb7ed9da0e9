# Kriging peers for bench/compare, with R gstat as Debian ships it (r-cran-gstat).
#
# For every time step that has test rows, the held-out rows are predicted from the training rows of
# the same time step only (purely spatial data: one step holding everything). Methods:
#
#   idw       inverse-distance weighting, power 2 (no interval);
#   ok        ordinary kriging with a FITTED variogram, 95% interval mean +- 1.96 sqrt(kriging variance):
#             - a step with at least min_points training rows gets its own fit: gstat variogram() with
#               its default cutoff and bin width, then fit.variogram() over Exp, Sph and Gau with a
#               nugget (start: nugget 10% of the step's variance, range cutoff/3), keeping the best
#               weighted fit (fit.method 7);
#             - otherwise (few stations per step, as in wind and chickenpox), or when the step's own
#               fit fails or is degenerate, the POOLED fit: for every training time step with at least
#               3 rows and non-zero variance, the values are standardised with that step's mean and
#               standard deviation and all within-step pairs are binned by distance (12 equal bins up
#               to 60% of the largest pair distance); the pooled semivariances (pair-weighted means)
#               form one gstatVariogram, fitted as above. A step then uses the pooled model with nugget
#               and partial sill multiplied by that step's sample variance (so the kriging weights
#               follow the pooled shape and the interval widths follow the step's spread);
#   ok-fixed  the team's earlier protocol (docs/benchmarks.md): exponential model, sill = the step's
#             sample variance, range = median distance between the step's training points, nugget 10%;
#   uk, uk-log  with drift=COL[,COL] (a split's peer_drift), only at steps with their own variogram fit:
#             universal kriging with those columns as linear drift, the variogram fitted (as for ok) to
#             the residuals of the drift; uk-log does the same on log(target) and maps back with the
#             log-normal mean exp(m + v/2) and the interval exp(m -+ 1.96 sqrt(v)) (the usual analysis
#             of meuse: log(zinc) ~ sqrt(dist) or dist).
#
# Distances are in km: longitude/latitude (geographic = 1) are projected equirectangularly about the
# training data's mean latitude (error well under 1% over a country); projected coordinates in metres
# are divided by 1000.
#
# Usage: Rscript gstat_peers.R train=F test=F target=COL x=COL y=COL time=COL|"" geographic=0|1
#                              out=DIR [min_points=30] [drift=COL[,COL]]
# Writes DIR/gstat-{idw,ok,ok-fixed}.csv (mean,lower,upper in test-row order), DIR/gstat-timing.csv
# (method,fit_s,predict_s) and DIR/gstat-variogram.txt (the fitted models and the fallbacks taken).

suppressPackageStartupMessages(library(gstat))

args <- commandArgs(trailingOnly = TRUE)
opt <- list(min_points = "30", time = "", drift = "")
for (a in args) {
  kv <- regmatches(a, regexpr("=", a), invert = TRUE)[[1]]
  if (length(kv) != 2) stop("bad argument '", a, "' (expected key=value)")
  opt[[kv[1]]] <- kv[2]
}
for (k in c("train", "test", "target", "x", "y", "geographic", "out")) {
  if (is.null(opt[[k]])) stop("missing argument ", k, "=")
}
min_points <- as.integer(opt$min_points)

train <- read.csv(opt$train, check.names = FALSE, stringsAsFactors = FALSE)
test <- read.csv(opt$test, check.names = FALSE, stringsAsFactors = FALSE)

lat0 <- mean(train[[opt$y]])
to_km <- function(d) {
  if (opt$geographic == "1") {
    data.frame(x = d[[opt$x]] * 111.32 * cos(lat0 * pi / 180), y = d[[opt$y]] * 110.574)
  } else {
    data.frame(x = d[[opt$x]] / 1000, y = d[[opt$y]] / 1000)
  }
}
tr <- cbind(to_km(train), z = as.numeric(train[[opt$target]]))
te <- to_km(test)
drift <- if (nzchar(opt$drift)) strsplit(opt$drift, ",")[[1]] else character(0)
for (col in drift) {
  tr[[col]] <- as.numeric(train[[col]])
  te[[col]] <- as.numeric(test[[col]])
}
if (nzchar(opt$time)) {
  tr$t <- as.character(train[[opt$time]])
  te$t <- as.character(test[[opt$time]])
} else {
  tr$t <- "all"
  te$t <- "all"
}
tr <- tr[is.finite(tr$z), ]
log_lines <- character(0)
note <- function(...) log_lines <<- c(log_lines, paste0(...))

models <- c("Exp", "Sph", "Gau")

# Best weighted least-squares fit among `models`, started from nugget 10%, range cutoff/3.
fit_model <- function(v, total, range0) {
  best <- NULL
  for (m in models) {
    f <- tryCatch(
      withCallingHandlers(
        fit.variogram(v, vgm(0.9 * total, m, range0, 0.1 * total)),
        warning = function(w) invokeRestart("muffleWarning")),
      error = function(e) NULL)
    if (is.null(f) || isTRUE(attr(f, "singular")) || any(f$psill < 0) || any(f$range[-1] <= 0) ||
        sum(f$psill) <= 0) next
    sse <- attr(f, "SSErr")
    if (is.null(best) || sse < attr(best, "SSErr")) best <- f
  }
  if (is.null(best)) {
    # No spatial structure could be fitted (a flat empirical variogram): a pure nugget model,
    # whose ordinary kriging is the step's mean with variance nugget * (1 + 1/n).
    f <- tryCatch(fit.variogram(v, vgm(total, "Nug")), error = function(e) NULL)
    if (!is.null(f) && f$psill[1] > 0) best <- f
  }
  best
}

describe <- function(f) {
  if (nrow(f) == 1) return(paste0("Nug (pure nugget) ", signif(f$psill[1], 4)))
  paste0(as.character(f$model[2]), " nugget ", signif(f$psill[1], 4), ", partial sill ",
         signif(f$psill[2], 4), ", range ", signif(f$range[2], 4), " km")
}

# ---- pooled, standardised within-step variogram (fit time of "ok") ----
t_fit0 <- proc.time()[["elapsed"]]
steps <- split(seq_len(nrow(tr)), tr$t)
pair_d <- list()
pair_g <- list()
for (s in names(steps)) {
  i <- steps[[s]]
  if (length(i) < 3) next
  z <- tr$z[i]
  sdv <- sd(z)
  if (!is.finite(sdv) || sdv <= 0) next
  zs <- (z - mean(z)) / sdv
  d <- as.matrix(dist(cbind(tr$x[i], tr$y[i])))
  up <- upper.tri(d)
  pair_d[[s]] <- d[up]
  pair_g[[s]] <- 0.5 * outer(zs, zs, "-")[up]^2
}
pd <- unlist(pair_d, use.names = FALSE)
pg <- unlist(pair_g, use.names = FALSE)
pooled <- NULL
if (length(pd) >= 10) {
  cutoff <- 0.6 * max(pd)
  keep <- pd > 0 & pd <= cutoff
  bins <- cut(pd[keep], breaks = seq(0, cutoff, length.out = 13), include.lowest = TRUE)
  np <- tapply(pg[keep], bins, length)
  gm <- tapply(pg[keep], bins, mean)
  dm <- tapply(pd[keep], bins, mean)
  ok <- !is.na(np) & np > 0
  ev <- data.frame(np = as.numeric(np[ok]), dist = as.numeric(dm[ok]), gamma = as.numeric(gm[ok]),
                   dir.hor = 0, dir.ver = 0, id = factor("var1"))
  class(ev) <- c("gstatVariogram", "data.frame")
  pooled <- fit_model(ev, 1, cutoff / 3)
  note("pooled empirical variogram (standardised values, ", length(pair_d), " steps, ", length(pd),
       " pairs, cutoff ", signif(cutoff, 4), " km):")
  for (r in seq_len(nrow(ev))) {
    note(sprintf("  %8.2f km  np %8d  gamma %.4f", ev$dist[r], as.integer(ev$np[r]), ev$gamma[r]))
  }
  note("pooled fit (standardised units): ", if (is.null(pooled)) "failed" else describe(pooled))
} else {
  note("pooled fit: not available (fewer than 10 within-step pairs)")
}
t_fit_pooled <- proc.time()[["elapsed"]] - t_fit0

# ---- per-step prediction ----
n <- nrow(te)
res <- list(idw = matrix(NA_real_, n, 3), ok = matrix(NA_real_, n, 3), "ok-fixed" = matrix(NA_real_, n, 3))
time_fit <- c(idw = 0, ok = t_fit_pooled, "ok-fixed" = 0)
time_pred <- c(idw = 0, ok = 0, "ok-fixed" = 0)
if (length(drift) > 0) {
  res$uk <- matrix(NA_real_, n, 3)
  res[["uk-log"]] <- matrix(NA_real_, n, 3)
  time_fit <- c(time_fit, uk = 0, "uk-log" = 0)
  time_pred <- c(time_pred, uk = 0, "uk-log" = 0)
}
# Universal kriging of `value` with the drift columns: the variogram of the drift's residuals
# fitted as for ok; NULL when it cannot be fitted.
universal <- function(d, nd, value, method) {
  t0 <- proc.time()[["elapsed"]]
  d$v <- value
  f <- as.formula(paste("v ~", paste(drift, collapse = " + ")))
  ev <- tryCatch(variogram(f, locations = ~x + y, data = d), error = function(e) NULL)
  model <- if (is.null(ev) || nrow(ev) < 4) NULL else fit_model(ev, var(residuals(lm(f, data = d))), max(ev$dist) / 3)
  time_fit[method] <<- time_fit[method] + proc.time()[["elapsed"]] - t0
  if (is.null(model)) return(NULL)
  note(method, ": drift ", paste(drift, collapse = " + "), ", residual variogram ", describe(model))
  t0 <- proc.time()[["elapsed"]]
  k <- tryCatch(krige(f, locations = ~x + y, data = d, newdata = nd, model = model, debug.level = 0),
                error = function(e) NULL)
  time_pred[method] <<- time_pred[method] + proc.time()[["elapsed"]] - t0
  k
}
counts <- c(own = 0, pooled = 0, fallback = 0, few = 0)
gmean <- mean(tr$z)
gvar <- var(tr$z)
tsteps <- split(seq_len(n), te$t)

interval <- function(pred, v) cbind(pred, pred - 1.96 * sqrt(pmax(v, 0)), pred + 1.96 * sqrt(pmax(v, 0)))

for (s in names(tsteps)) {
  j <- tsteps[[s]]
  i <- steps[[s]]
  nd <- te[j, c("x", "y")]
  if (is.null(i) || length(i) < 3 || !(var(tr$z[i]) > 0)) {
    # Not enough information at this step: the step's (or the training) mean and variance.
    m <- if (length(i) > 0) mean(tr$z[i]) else gmean
    v <- if (length(i) > 1 && var(tr$z[i]) > 0) var(tr$z[i]) * (1 + 1 / length(i)) else gvar
    for (k in names(res)) res[[k]][j, ] <- interval(rep(m, length(j)), rep(v, length(j)))
    res$idw[j, 2:3] <- NA
    counts["few"] <- counts["few"] + 1
    next
  }
  d <- tr[i, ]
  vs <- var(d$z)

  t0 <- proc.time()[["elapsed"]]
  p <- idw(z ~ 1, locations = ~x + y, data = d, newdata = nd, idp = 2, debug.level = 0)
  res$idw[j, ] <- cbind(p$var1.pred, NA, NA)
  time_pred["idw"] <- time_pred["idw"] + proc.time()[["elapsed"]] - t0

  t0 <- proc.time()[["elapsed"]]
  model <- NULL
  if (length(i) >= min_points) {
    ev <- tryCatch(variogram(z ~ 1, locations = ~x + y, data = d), error = function(e) NULL)
    if (!is.null(ev) && nrow(ev) >= 4) model <- fit_model(ev, vs, max(ev$dist) / 3)
    if (!is.null(model)) {
      counts["own"] <- counts["own"] + 1
      if (length(tsteps) <= 5) note("step ", s, ": own fit on ", length(i), " points: ", describe(model))
    }
  }
  if (is.null(model) && !is.null(pooled)) {
    model <- pooled
    model$psill <- model$psill * vs
    counts["pooled"] <- counts["pooled"] + 1
  }
  time_fit["ok"] <- time_fit["ok"] + proc.time()[["elapsed"]] - t0
  t0 <- proc.time()[["elapsed"]]
  k <- if (is.null(model)) NULL else
    tryCatch(krige(z ~ 1, locations = ~x + y, data = d, newdata = nd, model = model, debug.level = 0),
             error = function(e) NULL)
  if (is.null(k)) {
    counts["fallback"] <- counts["fallback"] + 1
    res$ok[j, ] <- interval(rep(mean(d$z), length(j)), rep(vs * (1 + 1 / length(i)), length(j)))
  } else {
    res$ok[j, ] <- interval(k$var1.pred, k$var1.var)
  }
  time_pred["ok"] <- time_pred["ok"] + proc.time()[["elapsed"]] - t0

  if (length(drift) > 0 && counts["own"] > 0 && length(i) >= min_points) {
    ndd <- te[j, c("x", "y", drift)]
    k <- universal(d, ndd, d$z, "uk")
    if (!is.null(k)) res$uk[j, ] <- interval(k$var1.pred, k$var1.var)
    if (all(d$z > 0)) {
      k <- universal(d, ndd, log(d$z), "uk-log")
      if (!is.null(k)) {
        s <- sqrt(pmax(k$var1.var, 0))
        res[["uk-log"]][j, ] <- cbind(exp(k$var1.pred + s^2 / 2), exp(k$var1.pred - 1.96 * s),
                                      exp(k$var1.pred + 1.96 * s))
      }
    }
  }

  t0 <- proc.time()[["elapsed"]]
  fixed <- vgm(0.9 * vs, "Exp", median(as.numeric(dist(cbind(d$x, d$y)))), 0.1 * vs)
  k <- krige(z ~ 1, locations = ~x + y, data = d, newdata = nd, model = fixed, debug.level = 0)
  res[["ok-fixed"]][j, ] <- interval(k$var1.pred, k$var1.var)
  time_pred["ok-fixed"] <- time_pred["ok-fixed"] + proc.time()[["elapsed"]] - t0
}
note("steps predicted: ", length(tsteps), "; ok used its own per-step fit at ", counts["own"],
     " steps, the pooled fit at ", counts["pooled"], ", the mean/variance fallback (no usable model or ",
     "kriging error) at ", counts["fallback"], "; steps with fewer than 3 training rows or no variance ",
     "(all methods: step or training mean) ", counts["few"])

dir.create(opt$out, showWarnings = FALSE, recursive = TRUE)
for (k in names(res)) {
  out <- data.frame(mean = res[[k]][, 1], lower = res[[k]][, 2], upper = res[[k]][, 3])
  write.csv(out, file.path(opt$out, paste0("gstat-", k, ".csv")), row.names = FALSE, na = "NA")
}
write.csv(data.frame(method = names(res), fit_s = as.numeric(time_fit[names(res)]),
                     predict_s = as.numeric(time_pred[names(res)])),
          file.path(opt$out, "gstat-timing.csv"), row.names = FALSE)
writeLines(c(paste0("gstat ", as.character(packageVersion("gstat")), ", ", R.version.string), log_lines),
           file.path(opt$out, "gstat-variogram.txt"))
