// Shared by the fast CSV paths: what each column of a record is for, and ids of texts (labels,
// categorical levels) in first-appearance order.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
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

// A 64-bit hash of a short text, from at most two 8-byte loads for texts of up to 16 bytes (the
// usual level or label) and a word at a time beyond.
inline std::uint64_t text_hash64(std::string_view s) {
  auto load = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  auto mix = [](std::uint64_t a, std::uint64_t b) {  // a multiply-xorshift of the pair (wyhash's mum)
    const unsigned __int128 r = static_cast<unsigned __int128>(a ^ 0xa0761d6478bd642fULL) * (b ^ 0xe7037ed1a0b428dbULL);
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
  };
  const std::size_t n = s.size();
  const char* p = s.data();
  std::uint64_t a = 0, b = 0;
  if (n >= 8) {
    std::size_t i = 0;
    std::uint64_t h = n;
    for (; i + 16 < n; i += 8) h = mix(h, load(p + i));
    a = load(p + i) ^ h;
    b = load(p + n - 8);
  } else if (n >= 4) {
    std::uint32_t x, y;
    std::memcpy(&x, p, 4);
    std::memcpy(&y, p + n - 4, 4);
    a = x;
    b = y;
  } else if (n > 0) {
    a = static_cast<unsigned char>(p[0]) | static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
        static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
  }
  return mix(a ^ n, b ^ (static_cast<std::uint64_t>(n) << 32));
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
