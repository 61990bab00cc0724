# The oracle for a round's village-level results with raked weights
# (src/index/weights.c, results.c): R's survey package on the export of
# the round (`quantri interviews export`). Usage:
#   Rscript rake_village.R DATA.csv MARGINS.csv OUT.csv VARS
# MARGINS.csv: variable,category,population (gender, age_group, village =
# the unit id as in the export's village column). VARS: comma-separated
# columns. Writes village,variable,n,estimate,se,ci_low,ci_high (%.17g).
#
# The weights: survey::rake() of the design weights on every margin given,
# run to convergence (epsilon 1e-13 on the weights, as quantri's 1e-10 of
# the population total is met and passed). A village's estimate, as
# quantri computes it: the village a stratum, its people the PSUs, the
# raked weights taken as given (svyby by village on that design), so the
# SE does not include rake()'s calibration adjustment.
suppressMessages(library(survey))
a <- commandArgs(trailingOnly = TRUE)
if (length(a) != 4) stop("usage: rake_village.R DATA MARGINS OUT VARS")
data <- read.csv(a[1], stringsAsFactors = FALSE, check.names = FALSE,
                 colClasses = "character")
margins <- read.csv(a[2], stringsAsFactors = FALSE, colClasses = "character")
vars <- strsplit(a[4], ",")[[1]]
num <- function(x) { x[x == "" | x == "NA"] <- NA; as.numeric(x) }
data$weight <- num(data$weight)
for (v in vars) data[[v]] <- num(data[[v]])
d0 <- svydesign(ids = ~1, weights = ~weight, data = data)
given <- unique(margins$variable)
sample.margins <- lapply(given, function(v) as.formula(paste0("~", v)))
population.margins <- lapply(given, function(v) {
  m <- margins[margins$variable == v, ]
  df <- data.frame(m$category, as.numeric(m$population),
                   stringsAsFactors = FALSE)
  names(df) <- c(v, "Freq")
  df
})
r <- rake(d0, sample.margins, population.margins,
          control = list(maxit = 1000, epsilon = 1e-13))
data$raked <- weights(r)
d <- svydesign(ids = ~1, strata = ~village, weights = ~raked, data = data)
out <- list()
for (v in vars) {
  cnt <- tapply(!is.na(data[[v]]), data$village, sum)
  keep <- names(cnt)[cnt > 1]
  if (!length(keep)) next
  dd <- subset(d, data$village %in% keep)
  f <- as.formula(paste0("~`", v, "`"))
  s <- svyby(f, ~village, dd, svymean, na.rm = TRUE)
  ci <- confint(s)
  out[[length(out) + 1]] <- data.frame(village = as.character(s[[1]]),
    variable = v, n = as.vector(cnt[as.character(s[[1]])]),
    estimate = sprintf("%.17g", s[[2]]), se = sprintf("%.17g", s[[3]]),
    ci_low = sprintf("%.17g", ci[, 1]), ci_high = sprintf("%.17g", ci[, 2]),
    stringsAsFactors = FALSE)
}
write.csv(do.call(rbind, out), a[3], row.names = FALSE, quote = FALSE)
