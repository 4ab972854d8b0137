// Shared by the fast CSV paths: what each column of a record is for, and ids of texts (labels,
// categorical levels) in first-appearance order.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/parallel_csv_loader.hpp"

namespace logreg::detail {

// What each column of a record is: a feature's index (>= 0), -1 ignored, -2 target, -3 weight.
inline std::vector<long> column_role_table(const column_roles& roles) {
  std::vector<long> role(roles.n_columns, -1);
  for (std::size_t j = 0; j < roles.features.size(); ++j) role[roles.features[j]] = static_cast<long>(j);
  role[roles.target] = -2;
  if (roles.weight != SIZE_MAX) role[roles.weight] = -3;
  return role;
}

// Ids of texts in first-appearance order, up to `limit` of them (missing_cell_id past it).
struct text_dictionary {
  std::unordered_map<std::string, std::uint32_t, text_hash, std::equal_to<>> ids;
  std::vector<std::string> texts;
  std::uint32_t id(std::string_view text, std::size_t limit = SIZE_MAX) {
    auto it = ids.find(text);
    if (it != ids.end()) return it->second;
    if (texts.size() >= limit) return missing_cell_id;
    it = ids.emplace(std::string(text), static_cast<std::uint32_t>(texts.size())).first;
    texts.emplace_back(text);
    return it->second;
  }
};

}  // namespace logreg::detail
