// A std::vector whose resize() leaves new elements uninitialised: for per-observation arrays that
// are written in full right after (by threads), where zeroing them first would touch every page
// twice (a memset on one thread, then the real writes). Its memory comes from cache_alloc: a
// cache file once out-of-core mode is on (cache_memory.hpp), malloc's otherwise.
#pragma once
#include <memory>
#include <vector>

#include "base/cache_memory.hpp"

namespace logreg {

template <class T>
struct default_init_allocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = default_init_allocator<U>;
  };
  default_init_allocator() = default;
  template <class U>
  default_init_allocator(const default_init_allocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(detail::cache_alloc(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { detail::cache_free(p); }
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;  // default-initialised: no value for trivial types
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <class T>
using buffer = std::vector<T, default_init_allocator<T>>;

}  // namespace logreg
