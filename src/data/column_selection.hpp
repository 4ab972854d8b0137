// Which columns of a CSV file are the target and the features.
#pragma once
#include <string>
#include <vector>

namespace logreg {

struct column_selection {
  std::string target;                 // empty: the last column
  std::vector<std::string> features;  // empty: every column but the target and the ignored ones
  std::vector<std::string> ignore;
  std::string weight;                 // empty: no sample weights; else the column holding them
  std::string fold;                   // empty: none; else the column whose values name each row's fold (cv)
};

}  // namespace logreg
