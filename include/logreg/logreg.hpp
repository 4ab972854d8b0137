// The logreg C++ library: everything public in one include.
//
//   find_package(logreg REQUIRED)
//   target_link_libraries(app PRIVATE logreg::core)
#pragma once
#include "logreg/calibration.hpp"
#include "logreg/encoding.hpp"
#include "logreg/error.hpp"
#include "logreg/fit.hpp"
#include "logreg/inference.hpp"
#include "logreg/metrics.hpp"
#include "logreg/model.hpp"
#include "logreg/multiclass_inference.hpp"
#include "logreg/multiclass_metrics.hpp"
#include "logreg/predict.hpp"
#include "logreg/progress.hpp"
#include "logreg/settings.hpp"
#include "logreg/threshold.hpp"
#include "logreg/threads.hpp"
#include "logreg/versions.hpp"
