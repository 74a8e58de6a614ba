# Every dependency comes from a Debian 12 package; scripts/install-deps names them.
find_package(Threads REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED COMPONENTS json url CONFIG)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SQLITE REQUIRED IMPORTED_TARGET sqlite3)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED CONFIG)
find_package(tomlplusplus REQUIRED)
