#include "base/communicator.hpp"

#include <cstring>
#include <stdexcept>

namespace logreg::detail {

namespace {
communicator* the_world = nullptr;
}

communicator* world() { return the_world; }
void set_world(communicator* w) { the_world = w; }
int world_rank() { return the_world ? the_world->rank() : 0; }
int world_size() { return the_world ? the_world->size() : 1; }

std::string pack_texts(const std::vector<std::string>& texts) {
  std::string out;
  for (const std::string& t : texts) {
    const std::uint64_t len = t.size();
    out.append(reinterpret_cast<const char*>(&len), sizeof len);
    out += t;
  }
  return out;
}

std::vector<std::string> unpack_texts(const std::string& bytes) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < bytes.size()) {
    std::uint64_t len = 0;
    if (bytes.size() - at < sizeof len) throw std::logic_error("unpack_texts: truncated");
    std::memcpy(&len, bytes.data() + at, sizeof len);
    at += sizeof len;
    if (bytes.size() - at < len) throw std::logic_error("unpack_texts: truncated");
    out.emplace_back(bytes.data() + at, len);
    at += len;
  }
  return out;
}

std::vector<int> file_owners(const std::vector<std::size_t>& sizes, int P) {
  std::size_t all = 0;
  for (std::size_t s : sizes) all += s;
  std::vector<int> owner(sizes.size());
  std::size_t before = 0;
  for (std::size_t f = 0; f < sizes.size(); before += sizes[f], ++f) {
    // floor(P (before + size / 2) / all), in integers: 2 P before + P size < 2 P all
    const unsigned __int128 twice = (2 * static_cast<unsigned __int128>(before) + sizes[f]) * static_cast<unsigned>(P);
    owner[f] = all == 0 ? static_cast<int>(f * static_cast<std::size_t>(P) / sizes.size())
                        : std::min(P - 1, static_cast<int>(twice / (2 * static_cast<unsigned __int128>(all))));
  }
  return owner;
}

std::string pack_counts(const std::vector<std::uint64_t>& counts) {
  return std::string(reinterpret_cast<const char*>(counts.data()), counts.size() * sizeof(std::uint64_t));
}

std::vector<std::uint64_t> unpack_counts(const std::string& bytes) {
  std::vector<std::uint64_t> out(bytes.size() / sizeof(std::uint64_t));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(std::uint64_t));
  return out;
}

}  // namespace logreg::detail
