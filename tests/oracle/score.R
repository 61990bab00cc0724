# The oracle for score.h: sub-dimension, dimension and total scores of
# each unit, with standard errors by linearising the composite: the sum of
# the indicators' influence functions (svymean(..., na.rm=TRUE,
# influence=TRUE)) weighted by their coefficients, through svyrecvar() on
# the unit's design (rows of the unit that answered any of the composite's
# indicators). Usage:
#   Rscript score.R DATA.csv STRUCTURE.csv BY MIN_N OUT.csv
# STRUCTURE.csv: var,sub,dim,lo,hi,reversed,weight (theoretical bounds).
# OUT.csv: by,level,item,value,se (level sub|dim|total), %.17g; composites
# that need an indicator with fewer than MIN_N answers are left out.
# Also checks the method against svycontrast(svymean()) on indicators
# nobody skipped, and stops if they differ.
suppressMessages(library(survey))
a <- commandArgs(trailingOnly = TRUE)
data <- read.csv(a[1], stringsAsFactors = FALSE, colClasses = "character")
st <- read.csv(a[2], stringsAsFactors = FALSE)
by <- a[3]; min_n <- as.numeric(a[4])
options(survey.lonely.psu = "fail")
for (v in c("w", st$var)) { x <- data[[v]]; x[x == ""] <- NA; data[[v]] <- as.numeric(x) }
d <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~w, data = data, nest = TRUE)
st$weight[st$weight <= 0] <- 1
nsub_dim <- tapply(st$sub, st$dim, function(s) length(unique(s)))
# coefficient of each indicator's mean in sub-dimension j: 9 a_k / n_d, on z
items <- list()
for (j in unique(st$sub)) {
  s <- st[st$sub == j, ]
  nd <- nsub_dim[[as.character(s$dim[1])]]
  items[[length(items) + 1]] <- list(level = "sub", item = j, vars = s$var,
    a = 9 * s$weight / sum(s$weight) / nd, const = 1 / nd)
}
for (dd in unique(st$dim)) {
  s <- st[st$dim == dd, ]
  nd <- nsub_dim[[as.character(dd)]]
  wsum <- tapply(s$weight, s$sub, sum)
  items[[length(items) + 1]] <- list(level = "dim", item = dd, vars = s$var,
    a = 9 * s$weight / wsum[as.character(s$sub)] / nd, const = 1)
}
wsum <- tapply(st$weight, st$sub, sum)
ndv <- nsub_dim[as.character(st$dim)]
items[[length(items) + 1]] <- list(level = "total", item = 0, vars = st$var,
  a = 9 * st$weight / wsum[as.character(st$sub)] / ndv,
  const = length(unique(st$dim)))

composite <- function(dg, vars, a) {
  infl <- rep(0, nrow(dg$variables))
  value <- 0
  for (k in seq_along(vars)) {
    s <- st[st$var == vars[k], ]
    m <- svymean(as.formula(paste0("~", vars[k])), dg, na.rm = TRUE, influence = TRUE)
    z <- (coef(m)[[1]] - s$lo) / (s$hi - s$lo)
    sign <- 1
    if (s$reversed) { z <- 1 - z; sign <- -1 }
    value <- value + a[k] * z
    inf <- attr(m, "influence")
    # influence rows: the rows of dg that answered, in order
    idx <- which(!is.na(dg$variables[[vars[k]]]))
    stopifnot(length(idx) == nrow(inf))
    infl[idx] <- infl[idx] + sign * a[k] / (s$hi - s$lo) * inf[, 1]
  }
  v <- survey:::svyrecvar(infl, dg$cluster, dg$strata, dg$fpc)
  c(value, sqrt(v[1, 1]))
}

out <- list()
for (g in sort(unique(data[[by]]))) {
  ing <- data[[by]] == g
  for (it in items) {
    n <- sapply(it$vars, function(v) sum(ing & !is.na(data[[v]])))
    if (any(n < min_n)) next
    present <- ing & rowSums(!is.na(data[, it$vars, drop = FALSE])) > 0
    r <- composite(subset(d, present), it$vars, it$a)
    out[[length(out) + 1]] <- data.frame(by = g, level = it$level, item = it$item,
      value = sprintf("%.17g", it$const + r[1]), se = sprintf("%.17g", r[2]))
  }
}
write.csv(do.call(rbind, out), a[5], row.names = FALSE)

# The same method against svycontrast on answers nobody skipped.
full <- st$var[sapply(st$var, function(v) !any(is.na(data[[v]])))]
if (length(full) >= 2) {
  cf <- seq_along(full) / 3
  m <- svymean(as.formula(paste("~", paste(full, collapse = "+"))), d)
  sc <- svycontrast(m, setNames(cf, full))
  r <- composite(d, full, cf * (st$hi - st$lo)[match(full, st$var)] *
                   ifelse(st$reversed[match(full, st$var)], -1, 1))
  if (abs(SE(sc)[[1]] - r[2]) > 1e-12 * r[2])
    stop("svycontrast ", SE(sc), " vs linearised composite ", r[2])
  message("svycontrast check: se ", SE(sc), " = ", r[2])
}
