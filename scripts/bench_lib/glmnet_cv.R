# The R side of the cv case, as a user would write it: read.csv, then
#   cv.glmnet(x, y, family = "binomial", alpha = 1, foldid = fold, lambda = LAMBDA,
#             standardize = TRUE, type.measure = "deviance")
# with glmnet's default thresh (1e-7). Run as its own process by scripts/bench, which times the
# whole process; the cv.glmnet call alone is timed here with system.time (read.csv excluded).
#
# usage: Rscript glmnet_cv.R DATA.csv LAMBDA.txt OUT.json
#   DATA.csv has the columns x1 .. xd, y (0/1) and fold (1 .. K); LAMBDA.txt one lambda a line.
# OUT.json: lambda, cvm (mean deviance over the folds: 2 x log loss), cvsd, nzero, lambda.min,
# lambda.1se, the call's elapsed and CPU seconds, read.csv's elapsed seconds, versions.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: Rscript glmnet_cv.R DATA.csv LAMBDA.txt OUT.json")
suppressPackageStartupMessages(library(glmnet))
t0 <- proc.time()
d <- read.csv(args[1])
foldid <- d$fold
y <- d$y
x <- as.matrix(d[, setdiff(names(d), c("y", "fold"))])
rm(d)
lambda <- scan(args[2], quiet = TRUE)
t_read <- (proc.time() - t0)[["elapsed"]]
tm <- system.time(
  fit <- cv.glmnet(x, y, family = "binomial", alpha = 1, foldid = foldid, lambda = lambda,
                   standardize = TRUE, type.measure = "deviance")
)
num <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ", "), "]")
json <- paste0(
  "{\n",
  "\"glmnet\": \"", as.character(packageVersion("glmnet")), "\",\n",
  "\"r\": \"", R.version.string, "\",\n",
  "\"thresh\": ", sprintf("%.17g", formals(glmnet)$thresh), ",\n",
  "\"folds\": ", length(unique(foldid)), ",\n",
  "\"lambda\": ", num(fit$lambda), ",\n",
  "\"cvm\": ", num(fit$cvm), ",\n",
  "\"cvsd\": ", num(fit$cvsd), ",\n",
  "\"nzero\": ", num(fit$nzero), ",\n",
  "\"lambda_min\": ", sprintf("%.17g", fit$lambda.min), ",\n",
  "\"lambda_1se\": ", sprintf("%.17g", fit$lambda.1se), ",\n",
  "\"npasses\": ", fit$glmnet.fit$npasses, ",\n",
  "\"call_seconds\": ", sprintf("%.17g", tm[["elapsed"]]), ",\n",
  "\"call_cpu_seconds\": ", sprintf("%.17g", tm[["user.self"]] + tm[["sys.self"]]), ",\n",
  "\"read_seconds\": ", sprintf("%.17g", t_read), "\n",
  "}\n")
writeLines(json, args[3], sep = "")
