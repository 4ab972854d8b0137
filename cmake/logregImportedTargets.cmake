# Imported targets for the two dependencies that bring none of their own: Armadillo (CMake's
# FindArmadillo module sets variables only) and OpenBLAS (linked directly, found by name).
# Included by CMakeLists.txt and by the installed logregConfig.cmake: the exported logreg::core
# names these targets, and each machine that uses the package resolves them itself, so no path of
# the machine that built logreg is baked into the package. Expects find_package(Armadillo) first.
if(NOT TARGET logreg::armadillo)
  add_library(logreg::armadillo INTERFACE IMPORTED)
  set_target_properties(logreg::armadillo PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${ARMADILLO_INCLUDE_DIRS}")
endif()
if(NOT TARGET logreg::openblas)
  # Not through Debian's reference-BLAS alternative (libblas), not through libarmadillo's wrapper.
  find_library(LOGREG_OPENBLAS_LIBRARY NAMES openblas)
  if(LOGREG_OPENBLAS_LIBRARY)
    add_library(logreg::openblas UNKNOWN IMPORTED)
    set_target_properties(logreg::openblas PROPERTIES IMPORTED_LOCATION "${LOGREG_OPENBLAS_LIBRARY}")
  endif()
endif()
