// The MariaDB schema, as an ordered list of versioned steps, and the code that applies them.
#pragma once

#include "store/mysql/mysql_connection.hpp"

namespace boxoffice::store::mysql {

// Applies every step not yet recorded in schema_migrations, one `boxoffice migrate` at a
// time (an advisory lock), and returns how many it applied. When the schema is already
// current it changes nothing, so an account without DDL rights may call it on every
// start. When steps are missing and the account may not apply them, throws
// std::runtime_error telling the operator to migrate as the schema owner.
int migrate(Connection& connection, const std::string& user);

// The newest schema version this build knows.
int latest_version();

}  // namespace boxoffice::store::mysql
