// The part both fast CSV paths share: the file mapped once, cut into byte ranges at line ends, the
// records of every range counted (pass 1, so that each range's rows have a fixed place in the
// result), and the ranges handed out to the threads as they finish one.
#pragma once
#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "io/mapped_file.hpp"
#include "logreg/progress.hpp"

namespace logreg::detail {

// The part both fast paths share: the file mapped once, cut into byte ranges at line ends, and the
// records of every range counted (pass 1), so that each range's rows have a fixed place.
class record_ranges {
 public:
  // Maps the file, cuts it and counts its records; false when the fast path cannot take it (then
  // nothing else is used).
  bool open(const std::string& path, std::size_t data_start, std::size_t file_size, int threads);

  // Runs fn(range, reporting) for every range on T threads, each taking the next range when done
  // with one; `reporting` is true on the calling thread (the one that may report progress).
  template <class Fn>
  void on_threads(Fn&& fn) {
    std::atomic<std::size_t> next{0};
    auto work = [&](bool reporting) {
      const bool read = survive_sigbus([&] {
        for (std::size_t c; (c = next.fetch_add(1)) < R && eligible.load(std::memory_order_relaxed);) fn(c, reporting);
      });
      if (!read) eligible = false;  // the file shrank while being read
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < T; ++t) pool.emplace_back(work, false);
    work(true);
    for (auto& t : pool) t.join();
  }

  void release(std::size_t from, std::size_t to) const;

  // Counts a parsed block of pass 2 and, on the reporting thread, tells `progress`.
  void advance(std::size_t bytes, std::size_t rows, bool reporting, const progress_callbacks& progress) {
    const std::size_t done = bytes_done_.fetch_add(bytes) + bytes;
    const std::size_t rows_so_far = rows_done_.fetch_add(rows) + rows;
    if (reporting && progress.on_load) progress.on_load(start + done, size, rows_so_far);
  }

 private:
  const sigbus_guard guard_;  // first: installed before the file is mapped, removed after it is unmapped
  std::unique_ptr<file_handle> file_;
  std::unique_ptr<mapped_file> map_;
  std::atomic<std::size_t> bytes_done_{0}, rows_done_{0};

 public:
  const char* text = nullptr;
  std::size_t size = 0, start = 0;
  char term = '\n';
  bool simd = false;  // the SSE parsers (count and parse)
  std::size_t T = 1, R = 1;
  std::vector<std::size_t> bounds;     // R + 1 byte offsets
  std::vector<std::size_t> first_row;  // R + 1 record numbers
  std::vector<std::size_t> quotes;     // per range: its quote characters (see unquote_cell)
  std::vector<std::size_t> blanks;     // per range: its blank lines (which the parsers skip)
  std::atomic<bool> eligible{true};

 private:
  bool cut(const std::string& path, std::size_t data_start, std::size_t file_size, int threads);
  // Pass 1 (parallel): count records; refuse a line end inside a quoted field (or a quote left open
  // at a range's end), NUL bytes, a CR that does not start a CRLF (a lone CR ends a line for the
  // full reader) and, in a CR-only file, any LF. Fills first_row; false
  // when the file has something the fast path does not take, or no records. The file's pages stay
  // mapped for pass 2, which drops them block by block as it goes (mapped file pages count in the
  // resident set).
  bool count();
};

}  // namespace logreg::detail
