# bench/estimate.sh: R's survey package on the bench data, variable by
# variable (svyby with na.rm=TRUE drops a row only for the variable it
# misses). Usage: Rscript estimate_r.R DATA.csv BY NVARS OUT.csv
# Times import and estimation separately, on stderr:
#   r load_s=... estimate_s=... vars=N
suppressMessages(library(survey))
a <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
data <- read.csv(a[1], stringsAsFactors = FALSE)
by <- a[2]; nv <- as.integer(a[3])
t1 <- proc.time()[["elapsed"]]
vars <- grep("^q[0-9]+$", names(data), value = TRUE)[seq_len(nv)]
d <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~w, data = data, nest = TRUE)
out <- list()
for (v in vars) {
  f <- as.formula(paste0("~", v))
  r <- svyby(f, as.formula(paste0("~", by)), d, svymean, na.rm = TRUE)
  out[[length(out) + 1]] <- data.frame(by = as.character(r[[1]]), variable = v,
    estimate = sprintf("%.17g", r[[2]]), se = sprintf("%.17g", r[[3]]))
}
t2 <- proc.time()[["elapsed"]]
write.csv(do.call(rbind, out), a[4], row.names = FALSE)
message(sprintf("r load_s=%.3f estimate_s=%.3f vars=%d", t1 - t0, t2 - t1, length(vars)))
