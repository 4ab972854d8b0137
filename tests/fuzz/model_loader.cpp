// Fuzz target: the model loader (logreg/model.hpp), on arbitrary bytes.
//
// The input is the model file. Oracle:
//   - load_model (the file read from disk) returns a model or throws data_error, nothing else;
//   - when the bytes are JSON, model_from_json returns a model or throws data_error, nothing else
//     (its documented contract), and says the same as load_model;
//   - a model that loads is written back (to_json) as JSON that loads again, to the same JSON.
// Crashes, sanitizer reports (undefined behaviour: e.g. a huge number converted to an integer)
// and any other exception are bugs.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "logreg/error.hpp"
#include "logreg/model.hpp"

namespace {

using json = nlohmann::json;

// The model, or nullopt and the message of the data_error (the source's name cut off).
std::optional<logreg::model> from_json(const json& j, std::string& error) {
  try {
    return logreg::model_from_json(j, "model");
  } catch (const logreg::data_error& e) {
    error = e.what();
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::start();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::input_file().assign(text);
  std::optional<logreg::model> loaded;
  std::string load_error;
  try {
    loaded = logreg::load_model(fuzz::input_file().path());
  } catch (const logreg::data_error& e) {
    load_error = e.what();
    fuzz::check(load_error.rfind(fuzz::input_file().path() + ": ", 0) == 0,
                "load_model's message does not start with the file's name: " + fuzz::printable(load_error));
  }
  fuzz::check_no_descriptor_leak();

  const json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    fuzz::check(!loaded, "load_model read a file that is not JSON");
    return 0;
  }
  std::string error;
  const std::optional<logreg::model> m = from_json(j, error);
  fuzz::check(m.has_value() == loaded.has_value(), "model_from_json and load_model disagree: \"" +
                                                       fuzz::printable(error) + "\" / \"" + fuzz::printable(load_error) + "\"");
  if (!m) return 0;

  // Written back and read again: the same JSON.
  const json written = logreg::to_json(*m);
  std::string again_error;
  const std::optional<logreg::model> again = from_json(json::parse(written.dump()), again_error);
  fuzz::check(again.has_value(), "a model that loads does not load again once written: " + fuzz::printable(again_error));
  fuzz::check(logreg::to_json(*again) == written, "a model written and read back is written differently");
  return 0;
}
