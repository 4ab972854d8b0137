// "Did you mean ...?" for mistyped commands, flags and column names.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace logreg {

// Edit distance (insertions, deletions, substitutions, adjacent transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `name` if it is close enough to be a plausible typo, else "".
std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace logreg
