// splitmix64 (Steele, Lea, Flood 2014): a fixed, well-mixed stream of 64-bit numbers from a 64-bit
// seed, the same on every machine (cv's folds, split's parts).
#pragma once
#include <cstdint>

namespace logreg::detail {

struct splitmix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform on [0, bound) by rejection: no modulo bias. bound > 0.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
    for (;;) {
      const std::uint64_t x = next();
      if (x < limit) return x % bound;
    }
  }
};

}  // namespace logreg::detail
