# Writes the train/test files of the public data sets that R packages ship, for bench/compare's
# splits that say data_from_r = NAME (the data stay in the packages; nothing is copied into the
# project). Usage: Rscript bench/public_data.R NAME OUT_DIR
#
# sic97  Spatial Interpolation Comparison 1997 (gstat's sic97): daily rainfall of 8 May 1986 in
#        Switzerland, in 1/10 mm. The exercise's own protocol: the 100 gauges of sic_obs train,
#        the other 367 of sic_full test. Coordinates X, Y in metres as shipped: Swiss coordinates
#        shifted to the centre of the country, which match no EPSG code (so no CRS is given).
# air    German rural background PM10 (spacetime's air, DE_RB_2005's source: daily means of 70
#        AirBase stations, 1998-2009), here the year 2005 (46 stations report), with 7 stations
#        drawn once (set.seed(1); sample) held out for the whole year: each day, the analyst's job of
#        mapping the other stations' values. Longitude/latitude (WGS 84).
suppressMessages({library(sp)})
a <- commandArgs(trailingOnly = TRUE)
if (length(a) != 2) { cat("usage: Rscript bench/public_data.R sic97|air OUT_DIR\n"); quit(status = 2) }
name <- a[1]; out <- a[2]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
put <- function(d, part) write.csv(d, file.path(out, paste0(name, ".", part, ".csv")), row.names = FALSE, quote = FALSE)
if (name == "sic97") {
  suppressMessages(library(gstat))
  data(sic97, package = "gstat", envir = environment())
  o <- as.data.frame(sic_obs); f <- as.data.frame(sic_full)
  t <- f[!(f$ID %in% o$ID), ]
  put(data.frame(x = o$X, y = o$Y, rainfall = o$rainfall), "train")
  put(data.frame(x = t$X, y = t$Y, rainfall = t$rainfall), "test")
} else if (name == "air") {
  suppressMessages(library(spacetime))
  data(air, package = "spacetime", envir = environment())
  d <- as.Date(dates); keep <- format(d, "%Y") == "2005"
  xy <- coordinates(stations)
  rows <- list()
  for (i in seq_len(nrow(air))) {
    v <- air[i, keep]; ok <- !is.na(v)
    if (any(ok)) rows[[length(rows) + 1]] <- data.frame(station = rownames(air)[i], longitude = round(xy[i, 1], 6),
      latitude = round(xy[i, 2], 6), date = format(d[keep][ok]), pm10 = round(v[ok], 3))
  }
  r <- do.call(rbind, rows)
  st <- sort(unique(r$station)); set.seed(1); held <- sample(st, 7)
  put(r[!(r$station %in% held), ], "train")
  put(r[r$station %in% held, ], "test")
} else {
  cat("unknown data set '", name, "' (known: sic97, air)\n", sep = ""); quit(status = 2)
}
