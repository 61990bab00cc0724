# The oracle for rake.h: survey::rake() on the design of the generated
# data, raked to population margins given on the command line, run to
# convergence. Usage:
#   Rscript rake.R DATA.csv OUT.txt VAR=CAT:TOTAL,CAT:TOTAL... [VAR=...]
# Writes the raked weights, one per line, %.17g, in the order of the rows.
suppressMessages(library(survey))
a <- commandArgs(trailingOnly = TRUE)
data <- read.csv(a[1], stringsAsFactors = FALSE, colClasses = "character")
data$w <- as.numeric(data$w)
d <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~w, data = data,
               nest = TRUE)
specs <- strsplit(a[-(1:2)], "=")
sample.margins <- lapply(specs, function(s) as.formula(paste0("~", s[1])))
population.margins <- lapply(specs, function(s) {
  cats <- strsplit(strsplit(s[2], ",")[[1]], ":")
  df <- data.frame(sapply(cats, `[`, 1), as.numeric(sapply(cats, `[`, 2)),
                   stringsAsFactors = FALSE)
  names(df) <- c(s[1], "Freq")
  df
})
r <- rake(d, sample.margins, population.margins,
          control = list(maxit = 1000, epsilon = 1e-14))
writeLines(sprintf("%.17g", weights(r)), a[2])
