// `boxoffice keys generate`: makes the ticket-signing key that every instance of a cluster
// must share, so a ticket sold by one instance checks in on any other.
#pragma once

#include <filesystem>
#include <iosfwd>

namespace boxoffice::app {

// Creates the key at `path` unless a key is already there (an existing key is never
// replaced: every ticket sold so far was signed with it). Prints the public key either
// way. Returns the process exit code.
int generate_key(const std::filesystem::path& path, std::ostream& output, std::ostream& errors);

}  // namespace boxoffice::app
