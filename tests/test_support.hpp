// Shared by the unit tests: temporary files and fixtures.
#pragma once
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace test {

// A file holding `text`, removed when the object goes away.
class temp_file {
 public:
  explicit temp_file(const std::string& text, const std::string& suffix = ".csv") {
    char name[] = "/tmp/logreg-test-XXXXXX";
    const int fd = ::mkstemp(name);
    ::close(fd);
    ::unlink(name);
    path_ = std::string(name) + suffix;
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~temp_file() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline nlohmann::json fixture(const std::string& name) {
  std::ifstream in(std::string(LOGREG_FIXTURE_DIR) + "/" + name);
  return nlohmann::json::parse(in);
}

inline std::string dataset(const std::string& name) { return std::string(LOGREG_DATASET_DIR) + "/" + name; }

}  // namespace test
