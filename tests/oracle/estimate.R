# The oracle for `quantri survey estimate`: R's survey package on the same
# CSV. Usage:
#   Rscript estimate.R DATA.csv OUT.csv WEIGHT STRATA CLUSTER BY VARS LONELY
#   Rscript estimate.R DATA.csv JOBS.txt     (one R start for many runs:
#                      each line "OUT WEIGHT STRATA CLUSTER BY VARS LONELY")
# STRATA, CLUSTER, BY: a column name or "-" for none; VARS comma-separated;
# LONELY: options(survey.lonely.psu). Writes by,variable,n,estimate,se with
# %.17g. When R refuses (a lonely PSU under "fail"), OUT holds the line
# "R error: <message>".
suppressMessages(library(survey))
a <- commandArgs(trailingOnly = TRUE)
if (length(a) == 2) {
  jobs <- strsplit(readLines(a[2]), " ")
} else if (length(a) == 8) {
  jobs <- list(a[2:8])
} else stop("usage: estimate.R DATA OUT WEIGHT STRATA CLUSTER BY VARS LONELY")
raw <- read.csv(a[1], stringsAsFactors = FALSE, check.names = FALSE,
                colClasses = "character")
num <- function(x) { x[x == "" | x == "NA"] <- NA; as.numeric(x) }
q <- function(name) paste0("~`", name, "`")

run <- function(job) {
  w <- job[2]; strata <- job[3]; cluster <- job[4]; by <- job[5]
  vars <- strsplit(job[6], ",")[[1]]
  options(survey.lonely.psu = job[7])
  data <- raw
  for (v in unique(c(w, vars))) data[[v]] <- num(data[[v]])
  ids <- if (cluster == "-") ~1 else as.formula(q(cluster))
  st <- if (strata == "-") NULL else as.formula(q(strata))
  d <- svydesign(ids = ids, strata = st, weights = as.formula(q(w)),
                 data = data, nest = TRUE)
  out <- list()
  for (v in vars) {
    f <- as.formula(q(v))
    if (by == "-") {
      n <- sum(!is.na(data[[v]]))
      if (n == 0) next
      m <- svymean(f, d, na.rm = TRUE)
      out[[length(out) + 1]] <- data.frame(by = "ALL", variable = v, n = n,
        estimate = coef(m)[[1]], se = SE(m)[[1]], stringsAsFactors = FALSE)
    } else {
      # the groups with an answer (a group without any gets no row)
      cnt <- tapply(!is.na(data[[v]]), data[[by]], sum)
      keep <- names(cnt)[cnt > 0]
      dd <- subset(d, data[[by]] %in% keep)
      r <- svyby(f, as.formula(q(by)), dd, svymean, na.rm = TRUE)
      out[[length(out) + 1]] <- data.frame(by = as.character(r[[1]]),
        variable = v, n = as.vector(cnt[as.character(r[[1]])]),
        estimate = r[[2]], se = r[[3]], stringsAsFactors = FALSE)
    }
  }
  o <- do.call(rbind, out)
  o$estimate <- sprintf("%.17g", o$estimate)
  o$se <- sprintf("%.17g", o$se)
  write.csv(o, job[1], row.names = FALSE, quote = TRUE)
}

for (job in jobs) {
  tryCatch(run(job), error = function(e)
    writeLines(paste("R error:", conditionMessage(e)), job[1]))
}
