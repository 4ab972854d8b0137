// A fast 64-bit hash of a text: the dictionaries of the fast CSV paths and the header's column index.
#pragma once
#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>

namespace logreg::detail {

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

// Lookups of texts by string_view without building a std::string per cell (unordered containers
// with std::equal_to<>).
struct text_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace logreg::detail
