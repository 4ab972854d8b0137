// Shared by the fuzz targets: the input as a regular file, and how an oracle reports a violation.
#pragma once
#include <dirent.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace fuzz {

// A violated oracle: says what and aborts (libFuzzer saves the input as a crash; a replay fails).
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "\nfuzz oracle violated: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline void check(bool ok, const std::string& what) {
  if (!ok) fail(what);
}

// Text for a message: non-printing bytes as \xNN, at most `limit` bytes shown.
inline std::string printable(std::string_view s, std::size_t limit = 400) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  if (s.size() > limit) out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

// How logreg words text that is not UTF-8 (a name, a label): "a NUL byte at byte 3", "the byte 0xC3 at
// byte 1, which is not valid UTF-8" (the first bad byte); empty for valid text. UTF-8 as RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF.
inline std::string invalid_text(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0x01 && c < 0x80) len = 1, cp = c;
    else if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      ok = (d & 0xC0) == 0x80;
      cp = cp << 6 | (d & 0x3F);
    }
    static constexpr std::uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && cp >= least[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (ok) {
      i += len;
      continue;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", c);
    std::string what = c == 0 ? std::string("a NUL byte") : "the byte " + std::string(hex);
    if (s.size() > 1) what += " at byte " + std::to_string(i + 1);
    if (c != 0) what += ", which is not valid UTF-8";
    return what;
  }
  return {};
}

// The input written to a regular file that lives in memory (memfd_create: no disk, nothing to
// clean up), named /proc/self/fd/N: the readers open it by name, map it and fstat it as any file.
class memory_file {
 public:
  memory_file() : fd_(::memfd_create("logreg-fuzz", MFD_CLOEXEC)) {
    if (fd_ < 0) fail("memfd_create failed");
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~memory_file() { ::close(fd_); }
  memory_file(const memory_file&) = delete;
  memory_file& operator=(const memory_file&) = delete;

  // Replaces the contents with `bytes`.
  void assign(std::string_view bytes) {
    if (::ftruncate(fd_, 0) != 0) fail("ftruncate failed");
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t put = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (put <= 0) fail("pwrite failed");
      done += static_cast<std::size_t>(put);
    }
  }
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

// The input file of a target (created once, by start()).
inline memory_file& input_file() {
  static memory_file f;
  return f;
}

// Called by LLVMFuzzerInitialize: creates the input file.
inline void start() { input_file(); }

// No descriptor of the input file left open by a call (a reader that throws from its constructor,
// say). Only descriptors of the input count: libFuzzer's and the sanitizers' threads open and
// close pipes and /proc files of their own at any time.
inline void check_no_descriptor_leak() {
  static std::string input_target;
  char target[512];
  auto link = [&](const std::string& path) {
    const ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
    return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
  };
  if (input_target.empty()) input_target = link(input_file().path());
  std::string left;
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) fail("cannot list /proc/self/fd");
  while (const dirent* e = ::readdir(dir)) {
    const std::string path = std::string("/proc/self/fd/") + e->d_name;
    if (e->d_name[0] != '.' && path != input_file().path() && link(path) == input_target) {
      left.push_back(' ');  // (appended piece by piece: " " + std::string makes g++ 12 warn, -Wrestrict)
      left += e->d_name;
    }
  }
  ::closedir(dir);
  if (!left.empty()) fail("the input file is still open as descriptor" + left);
}

// The first bytes of an input choose settings (the rest is the file): take(k) is the next control
// byte, 0 when the input has ended.
struct controls {
  const std::uint8_t* data;
  std::size_t size;
  std::uint8_t take() {
    if (size == 0) return 0;
    --size;
    return *data++;
  }
  std::string_view rest() const { return {reinterpret_cast<const char*>(data), size}; }
};

}  // namespace fuzz
