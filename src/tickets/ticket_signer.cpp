// Ticket code signing and verification, and the careful handling of the key file.
#include "tickets/ticket_signer.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <new>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

namespace boxoffice::tickets {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t secret_key_bytes = crypto_sign_SECRETKEYBYTES;
constexpr std::size_t signature_bytes = crypto_sign_BYTES;
static_assert(TicketSigner::seed_bytes == crypto_sign_SEEDBYTES);
static_assert(TicketSigner::public_key_bytes == crypto_sign_PUBLICKEYBYTES);
static_assert(secret_key_bytes == TicketSigner::seed_bytes + TicketSigner::public_key_bytes);

constexpr int code_base64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr int key_base64 = sodium_base64_VARIANT_ORIGINAL;
constexpr std::size_t signature_base64_chars =
    sodium_base64_ENCODED_LEN(signature_bytes, code_base64) - 1;

// The longest valid key file is 88 characters and a newline. The bound keeps a wrong path
// (a log file, a disk image) from being read whole.
constexpr std::size_t key_file_bytes_max = 128;

constexpr mode_t key_file_mode = 0600;
constexpr mode_t key_directory_mode = 0700;

void init_sodium() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium could not be initialised");
  }
}

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

std::string key_error(const fs::path& path, std::string_view problem) {
  return "ticket signing key file '" + path.string() + "' " + std::string{problem};
}

std::string to_base64(std::span<const unsigned char> bytes, int variant) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.pop_back();  // the NUL terminator sodium writes
  return out;
}

// Decodes all of `text` into the front of `out`; nullopt unless every character was
// consumed and the result fits. libsodium rejects non-zero unused trailing bits, so each
// byte string has exactly one accepted encoding and a signed code cannot be re-spelled.
std::optional<std::size_t> from_base64(std::string_view text, std::span<unsigned char> out,
                                       int variant) {
  std::size_t decoded = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &decoded, &end,
                        variant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  return decoded;
}

// Key material on the stack, wiped on every way out of the scope.
template <std::size_t Size>
struct WipedBuffer {
  std::array<unsigned char, Size> bytes{};

  WipedBuffer() = default;
  WipedBuffer(const WipedBuffer&) = delete;
  WipedBuffer& operator=(const WipedBuffer&) = delete;
  ~WipedBuffer() { sodium_memzero(bytes.data(), bytes.size()); }
};

class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& text) : text_(text) {}
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;
  ~WipeOnExit() { sodium_memzero(text_.data(), text_.size()); }

 private:
  std::string& text_;
};

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }

  // close() can report a failed write-back; the owner of a new file must hear about it.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

// Removes a temporary file unless it was published.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::string path) : path_(std::move(path)) {}
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (!published_) {
      ::unlink(path_.c_str());
    }
  }

  void mark_published() { published_ = true; }

 private:
  std::string path_;
  bool published_ = false;
};

// Decodes the key file's text (see the header) into a seed.
void parse_key_text(std::string_view text, const fs::path& path,
                    std::span<unsigned char, TicketSigner::seed_bytes> seed) {
  if (text.ends_with('\n')) {
    text.remove_suffix(1);
  }
  WipedBuffer<secret_key_bytes> decoded;
  const auto size = from_base64(text, decoded.bytes, key_base64);
  if (!size || (*size != TicketSigner::seed_bytes && *size != secret_key_bytes)) {
    throw std::runtime_error(
        key_error(path,
                  "is malformed: expected one line of standard base64 holding a 32-byte Ed25519 "
                  "seed or a 64-byte secret key"));
  }
  std::copy_n(decoded.bytes.begin(), seed.size(), seed.begin());
  if (*size == secret_key_bytes) {
    // A 64-byte key repeats its public key; a mismatch means a corrupted or spliced file,
    // and signing with it would hand out codes no scanner accepts.
    WipedBuffer<secret_key_bytes> derived;
    std::array<unsigned char, TicketSigner::public_key_bytes> public_key{};
    crypto_sign_seed_keypair(public_key.data(), derived.bytes.data(), seed.data());
    if (sodium_memcmp(derived.bytes.data(), decoded.bytes.data(), secret_key_bytes) != 0) {
      throw std::runtime_error(
          key_error(path, "is malformed: its public key half does not match its seed"));
    }
  }
}

// Reads the key file through one descriptor, so the checks and the read see the same file.
void read_key_file(int fd, const fs::path& path,
                   std::span<unsigned char, TicketSigner::seed_bytes> seed) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    throw std::runtime_error(key_error(path, "cannot be read: " + errno_text(errno)));
  }
  if (!S_ISREG(info.st_mode)) {
    throw std::runtime_error(key_error(path, "is not a regular file"));
  }
  const mode_t permissions = info.st_mode & 07777;
  if ((permissions & ~key_file_mode) != 0) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(permissions));
    throw std::runtime_error(key_error(path, std::string{"has mode "} + octal +
                                                 "; it must be 0600 or narrower (chmod 600 '" +
                                                 path.string() + "')"));
  }

  WipedBuffer<key_file_bytes_max + 1> text;
  std::size_t size = 0;
  while (size < text.bytes.size()) {
    const ssize_t got = ::read(fd, text.bytes.data() + size, text.bytes.size() - size);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      throw std::runtime_error(key_error(path, "cannot be read: " + errno_text(errno)));
    }
    if (got == 0) {
      break;
    }
    size += static_cast<std::size_t>(got);
  }
  if (size > key_file_bytes_max) {
    throw std::runtime_error(key_error(path, "is malformed: far too long for a key"));
  }
  parse_key_text({reinterpret_cast<const char*>(text.bytes.data()), size}, path, seed);
}

// Creates the missing directories above the key with mode 0700: nobody else needs to list
// them.
void create_private_directories(const fs::path& directory) {
  std::error_code ignored;
  if (directory.empty() || fs::exists(directory, ignored)) {
    return;
  }
  create_private_directories(directory.parent_path());
  if (::mkdir(directory.c_str(), key_directory_mode) != 0 && errno != EEXIST) {
    throw std::runtime_error("cannot create directory '" + directory.string() +
                             "' for the ticket signing key: " + errno_text(errno));
  }
}

void write_all(int fd, std::string_view text, const fs::path& path) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written < 0) {
      throw std::runtime_error(key_error(path, "cannot be written: " + errno_text(errno)));
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

// Without this a power cut right after start could lose the rename, and with it the key
// that signed every ticket sold since.
void sync_directory(const fs::path& directory, const fs::path& path) {
  const FileDescriptor fd{
      ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (!fd.valid() || ::fsync(fd.get()) != 0) {
    throw std::runtime_error(
        key_error(path, "was written but its directory could not be synced: " + errno_text(errno)));
  }
}

// Returns false when another process published a key at `path` first.
bool publish_new_key(const fs::path& path,
                     std::span<const unsigned char, TicketSigner::seed_bytes> seed) {
  create_private_directories(path.parent_path());

  std::string text = to_base64(seed, key_base64) + "\n";
  const WipeOnExit wipe_text{text};

  std::string temp_path = path.string() + ".XXXXXX";
  // mkostemp creates the file with mode 0600 whatever the umask, so the key is never
  // readable by others, not even for a moment.
  FileDescriptor fd{::mkostemp(temp_path.data(), O_CLOEXEC)};
  if (!fd.valid()) {
    throw std::runtime_error(key_error(path, "cannot be created: " + errno_text(errno)));
  }
  TemporaryFile temp{temp_path};
  write_all(fd.get(), text, path);
  if (::fsync(fd.get()) != 0 || fd.close() != 0) {
    throw std::runtime_error(key_error(path, "cannot be written: " + errno_text(errno)));
  }
  // A plain rename would silently replace a key that another instance created meanwhile
  // and may already have signed tickets with.
  if (::renameat2(AT_FDCWD, temp_path.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST) {
      return false;
    }
    throw std::runtime_error(key_error(path, "cannot be created: " + errno_text(errno)));
  }
  temp.mark_published();
  sync_directory(path.parent_path(), path);
  return true;
}

std::optional<TicketClaims> parse_payload(std::string_view payload) {
  std::array<std::string_view, 3> fields;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto newline = payload.find('\n');
    const bool last = i + 1 == fields.size();
    if ((newline == std::string_view::npos) != last) {
      return std::nullopt;
    }
    fields[i] = payload.substr(0, newline);
    if (fields[i].empty()) {
      return std::nullopt;
    }
    payload.remove_prefix(last ? payload.size() : newline + 1);
  }
  return TicketClaims{std::string{fields[0]}, std::string{fields[1]}, std::string{fields[2]}};
}

void check_claim(std::string_view name, std::string_view value) {
  if (value.empty()) {
    throw std::invalid_argument("ticket claim " + std::string{name} + " is empty");
  }
  if (value.find('\n') != std::string_view::npos) {
    throw std::invalid_argument("ticket claim " + std::string{name} + " contains a newline");
  }
}

}  // namespace

TicketSigner::TicketSigner(std::span<const unsigned char, seed_bytes> seed) {
  init_sodium();
  auto* secret_key = static_cast<unsigned char*>(sodium_malloc(secret_key_bytes));
  if (secret_key == nullptr) {
    throw std::bad_alloc();
  }
  secret_key_ = std::shared_ptr<const unsigned char>(
      secret_key, [](const unsigned char* key) { sodium_free(const_cast<unsigned char*>(key)); });
  crypto_sign_seed_keypair(public_key_.data(), secret_key, seed.data());
}

TicketSigner TicketSigner::from_seed(std::span<const unsigned char, seed_bytes> seed) {
  return TicketSigner{seed};
}

TicketSigner TicketSigner::from_key_file(const fs::path& path, bool create_if_missing) {
  init_sodium();
  // O_NONBLOCK so that a FIFO at the path fails the regular-file check instead of hanging
  // start-up; it has no effect on reading a regular file.
  const FileDescriptor fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)};
  if (!fd.valid()) {
    const int error = errno;
    if (error != ENOENT) {
      throw std::runtime_error(key_error(path, "cannot be opened: " + errno_text(error)));
    }
    if (!create_if_missing) {
      throw std::runtime_error(key_error(path, "does not exist"));
    }
    WipedBuffer<seed_bytes> seed;
    randombytes_buf(seed.bytes.data(), seed.bytes.size());
    if (!publish_new_key(path, std::span<const unsigned char, seed_bytes>{seed.bytes})) {
      return from_key_file(path, false);
    }
    return TicketSigner{seed.bytes};
  }
  WipedBuffer<seed_bytes> seed;
  read_key_file(fd.get(), path, seed.bytes);
  return TicketSigner{seed.bytes};
}

std::string TicketSigner::sign(const TicketClaims& claims) const {
  check_claim("ticket_id", claims.ticket_id);
  check_claim("event_id", claims.event_id);
  check_claim("seat_id", claims.seat_id);
  const std::string payload = claims.ticket_id + '\n' + claims.event_id + '\n' + claims.seat_id;

  std::string code{code_prefix};
  code += to_base64({bytes_of(payload), payload.size()}, code_base64);
  if (code.size() + 1 + signature_base64_chars > code_length_max) {
    throw std::invalid_argument("ticket claims too long: the code would exceed " +
                                std::to_string(code_length_max) + " characters");
  }
  std::array<unsigned char, signature_bytes> signature{};
  crypto_sign_detached(signature.data(), nullptr, bytes_of(code), code.size(), secret_key_.get());
  code += '.';
  code += to_base64(signature, code_base64);
  return code;
}

std::optional<TicketClaims> TicketSigner::verify(std::string_view code) const {
  if (code.size() > code_length_max || !code.starts_with(code_prefix)) {
    return std::nullopt;
  }
  const auto dot = code.find('.', code_prefix.size());
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view signed_part = code.substr(0, dot);
  const std::string_view payload_text = signed_part.substr(code_prefix.size());
  const std::string_view signature_text = code.substr(dot + 1);

  // Both decodings come first so that garbage never reaches the signature check. A third
  // '.' fails here too: it is not a base64url character.
  std::array<unsigned char, signature_bytes> signature{};
  const auto signature_size = from_base64(signature_text, signature, code_base64);
  if (!signature_size || *signature_size != signature.size()) {
    return std::nullopt;
  }
  std::array<unsigned char, code_length_max> payload{};
  const auto payload_size = from_base64(payload_text, payload, code_base64);
  if (!payload_size) {
    return std::nullopt;
  }
  if (crypto_sign_verify_detached(signature.data(), bytes_of(signed_part), signed_part.size(),
                                  public_key_.data()) != 0) {
    return std::nullopt;
  }
  return parse_payload({reinterpret_cast<const char*>(payload.data()), *payload_size});
}

std::string TicketSigner::public_key_base64() const {
  return to_base64(public_key_, key_base64);
}

}  // namespace boxoffice::tickets
