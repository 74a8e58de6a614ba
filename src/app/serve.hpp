// `boxoffice serve`: builds every part from the configuration and runs until a signal.
#pragma once

#include "app/config.hpp"

namespace boxoffice::app {

struct ServeOptions {
  bool demo = false;
};

// Returns the process exit code.
int serve(const Config& config, const ServeOptions& options);

}  // namespace boxoffice::app
