// Shared by the fast CSV paths: what each column of a record is for, and ids of texts (labels,
// categorical levels) in first-appearance order.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "io/parallel_csv_loader.hpp"
#include "io/text_hash.hpp"

namespace logreg::detail {

// What each column of a record is: a feature's index (>= 0), -1 ignored, -2 target, -3 weight,
// -4 fold.
inline std::vector<long> column_role_table(const column_roles& roles) {
  std::vector<long> role(roles.n_columns, -1);
  for (std::size_t j = 0; j < roles.features.size(); ++j) role[roles.features[j]] = static_cast<long>(j);
  role[roles.target] = -2;
  if (roles.weight != SIZE_MAX) role[roles.weight] = -3;
  if (roles.fold != SIZE_MAX) role[roles.fold] = -4;
  return role;
}

// Ids of texts in first-appearance order, up to `limit` of them (missing_cell_id past it). An open-
// addressing table of ids with 32 bits of each text's hash beside them: a lookup is a hash, usually
// one probe and one comparison (a std::unordered_map of strings took ~3x longer per cell).
class text_dictionary {
 public:
  std::vector<std::string> texts;

  std::uint32_t id(std::string_view text, std::size_t limit = SIZE_MAX) {
    const std::uint64_t h = text_hash64(text);
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    if (slots_.empty()) slots_.assign(16, 0);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const std::uint64_t slot = slots_[i];
      if (slot == 0) break;
      const std::uint32_t id = static_cast<std::uint32_t>(slot) - 1;
      if (static_cast<std::uint32_t>(slot >> 32) == tag && texts[id] == text) return id;
    }
    if (texts.size() >= limit) return missing_cell_id;
    const std::uint32_t id = static_cast<std::uint32_t>(texts.size());
    texts.emplace_back(text);
    hashes_.push_back(h);
    if (2 * texts.size() > slots_.size()) {  // keep the table at most half full
      slots_.assign(2 * slots_.size(), 0);
      mask = slots_.size() - 1;
      for (std::uint32_t k = 0; k < texts.size(); ++k) place(hashes_[k], k, mask);
    } else {
      place(h, id, mask);
    }
    return id;
  }

 private:
  void place(std::uint64_t h, std::uint32_t id, std::size_t mask) {
    std::size_t i = h & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = (h >> 32 << 32) | (static_cast<std::uint64_t>(id) + 1);
  }

  std::vector<std::uint64_t> slots_;   // (hash >> 32) << 32 | (id + 1); 0: empty
  std::vector<std::uint64_t> hashes_;  // per id, for growing the table
};

}  // namespace logreg::detail
