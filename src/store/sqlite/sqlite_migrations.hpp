// The SQLite schema, as an ordered list of versioned steps.
#pragma once

#include "store/sqlite/sqlite_connection.hpp"

namespace boxoffice::store::sqlite {

// Applies every step newer than the recorded version, each in its own transaction.
// Returns the number of steps applied.
int migrate(Connection& connection);

}  // namespace boxoffice::store::sqlite
