// Armadillo's memory, routed through logreg's cache allocator (cache_memory.hpp): every translation
// unit of the build sees this before <armadillo> (CMakeLists.txt: -include, with
// ARMA_ALIEN_MEM_ALLOC_FUNCTION / ARMA_ALIEN_MEM_FREE_FUNCTION naming these). Until the cache is
// enabled the allocation is posix_memalign's, as Armadillo's own, so that installed users of the
// library, who compile without this header, free what it allocates with free() as before.
#pragma once
#include <cstddef>

extern "C" {
void* logreg_arma_alloc(std::size_t bytes);
void logreg_arma_free(void* p) noexcept;
}
