#include "data/sparse_part.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "base/buffer.hpp"
#include "base/communicator.hpp"
#include "data/sparse_design.hpp"
#include "logreg/error.hpp"

namespace logreg {

namespace {

// The first line start at or after byte g of the file (its size when there is none).
std::size_t line_start_at_or_after(int fd, std::size_t g, std::size_t size, const std::string& source) {
  if (g == 0 || g >= size) return std::min(g, size);
  char block[65536];
  for (std::size_t at = g - 1; at < size;) {  // (from the byte before g: a line end there makes g a start)
    const std::size_t len = std::min(sizeof block, size - at);
    const ssize_t got = ::pread(fd, block, len, static_cast<off_t>(at));
    if (got <= 0) throw data_error(source + ": read error while cutting the file among the ranks");
    if (const void* hit = std::memchr(block, '\n', static_cast<std::size_t>(got)))
      return at + static_cast<std::size_t>(static_cast<const char*>(hit) - block) + 1;
    at += static_cast<std::size_t>(got);
  }
  return size;
}

// Appends a piece's rows (labels in its own first-appearance order) to `into`: its labels merged,
// its indices as they are.
void append_piece(labelled_sparse_data& into, std::unordered_map<std::string, std::uint32_t>& label_at,
                  labelled_sparse_data&& piece) {
  std::vector<std::uint32_t> to(piece.labels.size());
  for (std::size_t k = 0; k < piece.labels.size(); ++k) {
    const auto [it, fresh] = label_at.emplace(piece.labels[k], static_cast<std::uint32_t>(into.labels.size()));
    if (fresh) into.labels.push_back(piece.labels[k]);
    to[k] = it->second;
  }
  for (std::uint32_t i : piece.label_index) into.label_index.push_back(to[i]);
  csr_matrix& X = into.X;
  const std::size_t base = X.col.size();
  X.col.insert(X.col.end(), piece.X.col.begin(), piece.X.col.end());
  X.val.insert(X.val.end(), piece.X.val.begin(), piece.X.val.end());
  for (std::size_t r = 1; r < piece.X.row_ptr.size(); ++r) X.row_ptr.push_back(base + piece.X.row_ptr[r]);
  X.n_rows += piece.X.n_rows;
  X.n_cols = std::max(X.n_cols, piece.X.n_cols);
}

}  // namespace

libsvm_part load_labelled_libsvm_part(const std::vector<std::string>& paths, const progress_callbacks& progress) {
  detail::one_rank alone;
  detail::communicator& w = detail::world() ? *detail::world() : alone;
  const int r = w.rank(), P = w.size();
  // The files laid end to end: file f's bytes are [base[f], base[f + 1]) of the whole; a file's
  // first byte starts a line.
  std::vector<std::size_t> base{0};
  for (const std::string& path : paths) {
    struct stat st {};
    if (path.empty() || path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      throw usage_error((path.empty() || path == "-" ? std::string("standard input") : "'" + path + "'") + ": " +
                        (P > 1 ? "under mpirun the data must be regular files that every rank can read (each reads its "
                                 "own part of them)"
                               : "with several DATA files each must be a regular file") +
                        ", not standard input, a pipe or a FIFO");
    base.push_back(base.back() + static_cast<std::size_t>(st.st_size));
  }
  const std::size_t total = base.back();
  const std::string source =
      paths.size() == 1 ? paths[0] : paths[0] + " and " + std::to_string(paths.size() - 1) + " more";

  // 1. One file: each rank reads the lines of a nominal 1/P of its bytes (cut at line ends).
  //    Several files: each rank reads whole files (detail::file_owners), so that a bad line is
  //    named by its file and line on the rank that reads it.
  libsvm_part out;
  labelled_sparse_data& part = out.data;
  part.source = source;
  bool ok = true;
  const bool by_files = paths.size() > 1;
  std::string failure;  // by files: this rank's first bad line
  try {
    // The first line start at or after byte g of the whole.
    auto start_at = [&](std::size_t g) {
      if (g >= total) return total;
      std::size_t f = 0;
      while (base[f + 1] <= g) ++f;
      if (g == base[f]) return g;
      const int fd = ::open(paths[f].c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw data_error(paths[f] + ": cannot open");
      try {
        const std::size_t at = line_start_at_or_after(fd, g - base[f], base[f + 1] - base[f], paths[f]);
        ::close(fd);
        return base[f] + at;
      } catch (...) {
        ::close(fd);
        throw;
      }
    };
    std::size_t lo = 0, hi = 0;
    std::vector<int> owner;
    if (by_files) {
      std::vector<std::size_t> sizes(paths.size());
      for (std::size_t f = 0; f < paths.size(); ++f) sizes[f] = base[f + 1] - base[f];
      owner = detail::file_owners(sizes, P);
    } else {
      lo = start_at(total * static_cast<std::size_t>(r) / static_cast<std::size_t>(P));
      hi = start_at(total * static_cast<std::size_t>(r + 1) / static_cast<std::size_t>(P));
    }
    std::unordered_map<std::string, std::uint32_t> label_at;
    for (std::size_t f = 0; f < paths.size(); ++f) {
      const std::size_t a = by_files ? base[f] : std::max(lo, base[f]), b = by_files ? base[f + 1] : std::min(hi, base[f + 1]);
      if (a >= b || (by_files && owner[f] != r)) continue;
      labelled_sparse_data piece;
      try {
        piece = load_libsvm_range(paths[f], a - base[f], b - base[f], r == 0 ? progress : progress_callbacks{});
      } catch (const std::exception& e) {
        failure = e.what();
        throw;
      }
      if (part.X.n_rows == 0 && part.labels.empty()) {  // the first piece: as it is
        for (std::size_t k = 0; k < piece.labels.size(); ++k) label_at.emplace(piece.labels[k], static_cast<std::uint32_t>(k));
        piece.source = source;
        part = std::move(piece);
      } else {
        append_piece(part, label_at, std::move(piece));
      }
    }
  } catch (const std::exception&) {
    ok = false;
  }

  // 2. The labels, first appearance over the file: the ranks' lists in rank order.
  std::vector<std::string> labels;
  if (ok) {
    for (const std::string& p : w.allgather(detail::pack_texts(part.labels)))
      for (const std::string& l : detail::unpack_texts(p))
        if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);
  } else {
    w.allgather(detail::pack_texts({}));
  }
  // A bad line on any rank: by files, the first in rank order (which is file order); one file cut
  // by bytes, rank 0 reads it as one process does, for the message naming the line.
  if (w.any(!ok || labels.size() > 65536)) {
    if (by_files)
      for (const std::string& m : w.allgather(failure))
        if (!m.empty()) throw data_error(m);
    std::string message;
    if (r == 0) {
      try {
        for (const std::string& path : paths) load_libsvm_range(path, 0, SIZE_MAX);
        message = labels.size() > 65536
                      ? source + ": more than 65536 distinct labels; they do not look like class labels"
                      : source + ": could not be read by every MPI rank";
      } catch (const std::exception& e) {
        message = e.what();
      }
    }
    w.broadcast(0, message);
    throw data_error(message);
  }
  {
    std::vector<std::uint32_t> to(part.labels.size());
    for (std::size_t k = 0; k < part.labels.size(); ++k)
      to[k] = static_cast<std::uint32_t>(std::find(labels.begin(), labels.end(), part.labels[k]) - labels.begin());
    for (std::uint32_t& i : part.label_index) i = to[i];
    part.labels = labels;
  }

  // 3. The whole file's rows, non-zeros and largest index: its chunks, and each rank's run of them.
  std::vector<std::uint64_t> have(static_cast<std::size_t>(P) + 1, 0);
  std::uint64_t nnz = 0, d = 0;
  {
    const std::vector<std::string> all =
        w.allgather(detail::pack_counts({part.X.n_rows, part.X.nnz(), static_cast<std::uint64_t>(part.X.n_cols)}));
    for (std::size_t k = 0; k < static_cast<std::size_t>(P); ++k) {
      const std::vector<std::uint64_t> v = detail::unpack_counts(all[k]);
      have[k + 1] = have[k] + v.at(0);
      nnz += v.at(1);
      d = std::max(d, v.at(2));
    }
  }
  const std::uint64_t N = have.back();
  if (N == 0)
    throw data_error(source + ": no data rows (the input" + (paths.size() > 1 ? "s are" : " is") +
                     " empty or hold" + (paths.size() > 1 ? "" : "s") + " only blank and comment lines)");
  const detail::chunking ch = sparse_design::chunks_of(N, nnz, d);
  if (ch.count < static_cast<arma::uword>(P))
    throw usage_error(source + ": " + std::to_string(N) + " rows are too few to split among " + std::to_string(P) +
                      " MPI ranks: each rank holds at least one chunk of 4,096 rows or more (" +
                      (ch.count == 1 ? std::string("this file has one") : "at most " + std::to_string(ch.count) + " ranks here") +
                      "); run it with fewer ranks, or without mpirun");
  std::vector<std::uint64_t> want(static_cast<std::size_t>(P) + 1);
  for (std::size_t k = 0; k <= static_cast<std::size_t>(P); ++k) want[k] = ch.begin(ch.count * k / static_cast<std::size_t>(P));

  // 4. The rows move to the rank that holds them now (as --missing drop's re-cut of CSV rows,
  //    dataset.cpp): a row travels as label, non-zero count, then (index, value) pairs, after the
  //    message's length. Between two ranks rows move one way only, and every rank takes its
  //    partners in rank order.
  const std::uint64_t mine = have[static_cast<std::size_t>(r)];
  const csr_matrix& X = part.X;
  auto pack = [&](std::uint64_t lo, std::uint64_t hi) {
    buffer<double> v;  // (buffer: cached out of core, as the rows are)
    for (std::uint64_t g = lo; g < hi; ++g) {
      const std::size_t i = g - mine;
      v.push_back(part.label_index[i]);
      v.push_back(static_cast<double>(X.row_ptr[i + 1] - X.row_ptr[i]));
      for (std::size_t k = X.row_ptr[i]; k < X.row_ptr[i + 1]; ++k) {
        v.push_back(X.col[k]);
        v.push_back(X.val[k]);
      }
    }
    return v;
  };
  csr_matrix Y;
  Y.n_cols = d;
  buffer<std::uint32_t> label_index;
  auto append = [&](const double* v, std::size_t count) {
    for (const double* end = v + count; v < end;) {
      label_index.push_back(static_cast<std::uint32_t>(*v++));
      const auto m = static_cast<std::size_t>(*v++);
      for (std::size_t k = 0; k < m; ++k, v += 2) {
        Y.col.push_back(static_cast<std::uint32_t>(v[0]));
        Y.val.push_back(v[1]);
      }
      Y.row_ptr.push_back(Y.col.size());
    }
  };
  const std::uint64_t to_lo = want[static_cast<std::size_t>(r)], to_hi = want[static_cast<std::size_t>(r) + 1];
  const bool stays = to_lo == have[static_cast<std::size_t>(r)] && to_hi == have[static_cast<std::size_t>(r) + 1];
  for (int s = 0; s < P && !stays; ++s) {
    const std::size_t k = static_cast<std::size_t>(s);
    const std::uint64_t in_lo = std::max(have[k], to_lo), in_hi = std::min(have[k + 1], to_hi);
    if (s == r) {  // this rank's own rows that stay
      for (std::uint64_t g = in_lo; g < in_hi; ++g) {
        const std::size_t i = g - mine;
        label_index.push_back(part.label_index[i]);
        Y.col.insert(Y.col.end(), X.col.begin() + static_cast<std::ptrdiff_t>(X.row_ptr[i]),
                     X.col.begin() + static_cast<std::ptrdiff_t>(X.row_ptr[i + 1]));
        Y.val.insert(Y.val.end(), X.val.begin() + static_cast<std::ptrdiff_t>(X.row_ptr[i]),
                     X.val.begin() + static_cast<std::ptrdiff_t>(X.row_ptr[i + 1]));
        Y.row_ptr.push_back(Y.col.size());
      }
      continue;
    }
    const std::uint64_t out_lo = std::max(mine, want[k]), out_hi = std::min(have[static_cast<std::size_t>(r) + 1], want[k + 1]);
    if (out_lo < out_hi) {
      const buffer<double> sent = pack(out_lo, out_hi);
      const double length = static_cast<double>(sent.size());
      w.send(s, &length, 1);
      w.send(s, sent.data(), sent.size());
    }
    if (in_lo < in_hi) {
      double length = 0;
      w.receive(s, &length, 1);
      buffer<double> got(static_cast<std::size_t>(length));
      w.receive(s, got.data(), got.size());
      append(got.data(), got.size());
    }
  }
  if (!stays) {  // (else this rank keeps the rows it read: no rows come or go)
    Y.n_rows = label_index.size();
    part.X = std::move(Y);
    part.label_index = std::move(label_index);
  }
  part.X.n_cols = d;
  part.bytes = total;
  out.shard.active = true;
  out.shard.total = N;
  out.shard.offset = to_lo;
  out.shard.first = ch.count * static_cast<arma::uword>(r) / static_cast<arma::uword>(P);
  out.shard.last = ch.count * static_cast<arma::uword>(r + 1) / static_cast<arma::uword>(P);
  out.total_nnz = nnz;
  out.total_bytes = total;
  return out;
}

}  // namespace logreg
