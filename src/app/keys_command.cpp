#include "app/keys_command.hpp"

#include "tickets/ticket_signer.hpp"

#include <ostream>
#include <system_error>

namespace boxoffice::app {

int generate_key(const std::filesystem::path& path, std::ostream& output, std::ostream& errors) {
  std::error_code error;
  const bool existed = std::filesystem::exists(path, error);
  try {
    const auto signer = tickets::TicketSigner::from_key_file(path, true);
    output << (existed ? "kept the existing key " : "created ") << path.string()
           << "\npublic key: " << signer.public_key_base64() << '\n';
    return 0;
  } catch (const std::exception& failure) {
    errors << "boxoffice: " << failure.what() << '\n';
    return 1;
  }
}

}  // namespace boxoffice::app
