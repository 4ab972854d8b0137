#include "cli/fit_options.hpp"

#include "logreg/error.hpp"

namespace logreg::cli {

std::vector<flag> fit_flags() {
  return {
    {"target", "the column holding the class labels", "COL", "the last column"},
    {"features", "the feature columns, comma-separated", "A,B,..", "all but target and ignored"},
    {"ignore", "columns to leave out, comma-separated", "A,B,..", ""},
    {"positive", "the label of the positive class", "VALUE", "1, true or yes if present, else the second in sorted order"},
    {"penalty", "l2, l1, elasticnet or none", "P", "l2"},
    {"C", "inverse regularisation strength, > 0 (as scikit-learn's C)", "C", "1.0"},
    {"l1-ratio", "elastic net mixing R in [0, 1]: R |w|_1 + (1 - R)/2 |w|^2", "R", "0.5"},
    {"multiclass", "more than two classes: multinomial (softmax) or ovr (one-vs-rest)", "M", "multinomial"},
    {"class-weight", "balanced (n / (k * count)) or LABEL=W,... (others 1)", "W", "none"},
    {"weight", "column of non-negative per-row sample weights", "COL", "none"},
    {"categorical", "columns to one-hot encode even though they hold numbers (text columns always are)", "A,B,..", ""},
    {"drop-first", "categorical: the first level is the reference, without an indicator", "", "with --penalty none"},
    {"missing", "missing cells: error, drop (the row) or impute (mean; a (missing) level)", "M", "error"},
    {"na-values", "cell texts that mean missing, besides empty cells", "A,B,..", "NA,NaN,?,null"},
    {"no-intercept", "fit without an intercept", "", ""},
    {"no-standardize", "penalise the raw coefficients (scikit-learn on raw features), not those of z-scores", "", ""},
    {"solver", "auto, newton or lbfgs", "S", "auto: newton up to 300 features (multinomial: 200 coefficients)"},
    {"tol", "stop when max|gradient| <= tol * C * rows", "T", "1e-10"},
    {"max-iter", "iteration limit", "N", "1000"},
    {"robust", "make HC0 (sandwich) standard errors the ones inspect shows", "", ""},
    {"threads", "threads for reading and fitting (0: one per core)", "N", "0"},
    {"delimiter", "field delimiter: one byte or 'tab'", "C", ","},
    {"format", "input format: csv or libsvm (LABEL INDEX:VALUE ...)", "F", "libsvm for .svm/.libsvm files, else csv"},
    {"verbose", "show the load rate, every iteration and the fit report", "", ""},
    {"quiet", "show only warnings and errors", "", ""},
  };
}

train_request fit_request(const parsed_args& a, int& threads) {
  train_request req;
  req.data_path = a.data;
  if (a.has("target")) req.columns.target = a.get("target");
  if (a.has("features")) req.columns.features = parse_list("--features", a.get("features"));
  if (a.has("ignore")) req.columns.ignore = parse_list("--ignore", a.get("ignore"));
  if (a.has("features") && a.has("ignore"))
    throw usage_error("--features and --ignore cannot be used together: --features already lists every feature");
  if (a.has("positive")) req.positive = a.get("positive");
  if (a.has("penalty")) req.settings.penalty = parse_penalty(a.get("penalty"));
  if (a.has("C")) req.settings.C = parse_double("--C", a.get("C"));
  if (a.has("l1-ratio")) {
    req.settings.l1_ratio = parse_double("--l1-ratio", a.get("l1-ratio"));
    if (req.settings.penalty != penalty_kind::elasticnet)
      throw usage_error("--l1-ratio: applies only to --penalty elasticnet");
  }
  if (a.has("multiclass")) req.settings.multiclass = parse_multiclass(a.get("multiclass"));
  if (a.has("class-weight")) {
    req.settings.class_weight = a.get("class-weight");
    if (req.settings.class_weight.empty() || (req.settings.class_weight != "balanced" && req.settings.class_weight.find('=') == std::string::npos))
      throw usage_error("--class-weight: expected 'balanced' or LABEL=WEIGHT,..., got '" + req.settings.class_weight + "'");
  }
  if (a.has("weight")) req.settings.weight_column = a.get("weight");
  if (a.has("categorical")) req.encoding.categorical = parse_list("--categorical", a.get("categorical"));
  req.encoding.drop_first = a.has("drop-first");
  if (a.has("missing")) req.encoding.missing = parse_missing(a.get("missing"));
  if (a.has("na-values")) req.encoding.na_values = parse_na_values(a.get("na-values"));
  req.settings.fit_intercept = !a.has("no-intercept");
  req.settings.standardize = !a.has("no-standardize");
  if (a.has("solver")) req.settings.solver = parse_solver(a.get("solver"));
  if (a.has("tol")) req.settings.tol = parse_double("--tol", a.get("tol"));
  if (a.has("max-iter")) req.settings.max_iter = parse_int("--max-iter", a.get("max-iter"), 1, 100000000);
  req.robust = a.has("robust");
  threads = a.has("threads") ? parse_int("--threads", a.get("threads"), 0, 1024) : 0;
  if (a.has("delimiter")) req.dialect = parse_dialect(a.get("delimiter"));
  req.format = a.has("format") ? parse_data_format(a.get("format")) : format_from_extension(req.data_path, data_format::csv);
  validate(req.settings);
  if (req.format == data_format::libsvm) check_libsvm_request(req);
  return req;
}

}  // namespace logreg::cli
