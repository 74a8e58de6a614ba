// Ticket codes: round trips, every way a code can be wrong, offline verification with only
// the public key, and the key file's creation, permissions and format.
#include "tickets/ticket_signer.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace boxoffice::tickets {
namespace {

namespace fs = std::filesystem;

using Seed = std::array<unsigned char, TicketSigner::seed_bytes>;

constexpr Seed seed_of(unsigned char first) {
  Seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) {
    seed[i] = static_cast<unsigned char>(first + i);
  }
  return seed;
}

constexpr Seed seed_a = seed_of(0);
constexpr Seed seed_b = seed_of(100);

TicketClaims sample_claims() {
  return {"tk_5f1c9a", "ev_2026_stadium", "North-12-7"};
}

std::string encode(std::string_view bytes, int variant) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.pop_back();
  return out;
}

std::string base64url(std::string_view bytes) {
  return encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::vector<unsigned char> decode(std::string_view text, int variant) {
  std::vector<unsigned char> out(text.size());
  std::size_t size = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &size, nullptr,
                        variant) != 0) {
    throw std::invalid_argument("bad base64 in test");
  }
  out.resize(size);
  return out;
}

// Signs `signed_part` the way the format says, bypassing TicketSigner's own checks, so that
// tests can present verify() with codes that are well signed but otherwise wrong.
std::string sign_raw(const Seed& seed, std::string_view signed_part) {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};
  crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed.data());
  std::array<unsigned char, crypto_sign_BYTES> signature{};
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size(), secret_key.data());
  return std::string{signed_part} + "." +
         base64url({reinterpret_cast<const char*>(signature.data()), signature.size()});
}

std::string code_for_payload(const Seed& seed, std::string_view payload) {
  return sign_raw(seed, "BO1." + base64url(payload));
}

class TicketSignerTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }

  const TicketSigner signer = TicketSigner::from_seed(seed_a);
  const TicketClaims claims = sample_claims();
};

TEST_F(TicketSignerTest, RoundTrips) {
  const std::string code = signer.sign(claims);
  EXPECT_TRUE(code.starts_with("BO1.")) << code;
  EXPECT_EQ(std::count(code.begin(), code.end(), '.'), 2) << code;
  EXPECT_EQ(signer.verify(code), claims);
}

TEST_F(TicketSignerTest, RoundTripsIdsWithDotsAndNonAscii) {
  const TicketClaims unusual{"t.1", "Fête de la musique", "Rang B.12 ✓"};
  EXPECT_EQ(signer.verify(signer.sign(unusual)), unusual);
}

TEST_F(TicketSignerTest, AnotherInstanceWithTheSameSeedVerifies) {
  EXPECT_EQ(TicketSigner::from_seed(seed_a).verify(signer.sign(claims)), claims);
}

TEST_F(TicketSignerTest, PublicKeyIsStandardBase64OfTheEd25519PublicKey) {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};
  crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed_a.data());
  const std::string expected =
      encode({reinterpret_cast<const char*>(public_key.data()), public_key.size()},
             sodium_base64_VARIANT_ORIGINAL);
  EXPECT_EQ(signer.public_key_base64(), expected);
  EXPECT_EQ(expected.size(), 44U);
  EXPECT_EQ(TicketSigner::algorithm, "Ed25519");
}

// What a door scanner does with no server: only the published public key and the format.
TEST_F(TicketSignerTest, VerifiesOfflineWithOnlyThePublicKey) {
  const std::string code = signer.sign(claims);
  const auto public_key = decode(signer.public_key_base64(), sodium_base64_VARIANT_ORIGINAL);
  ASSERT_EQ(public_key.size(), crypto_sign_PUBLICKEYBYTES);

  const auto last_dot = code.rfind('.');
  const std::string signed_part = code.substr(0, last_dot);
  const auto signature =
      decode(code.substr(last_dot + 1), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  ASSERT_EQ(signature.size(), crypto_sign_BYTES);
  EXPECT_EQ(crypto_sign_verify_detached(signature.data(),
                                        reinterpret_cast<const unsigned char*>(signed_part.data()),
                                        signed_part.size(), public_key.data()),
            0);

  const auto payload = decode(signed_part.substr(4), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  EXPECT_EQ(std::string(payload.begin(), payload.end()), "tk_5f1c9a\nev_2026_stadium\nNorth-12-7");
}

TEST_F(TicketSignerTest, RejectsATamperedPayload) {
  const std::string code = signer.sign(claims);
  const auto last_dot = code.rfind('.');
  const std::string other_seat = "BO1." + base64url("tk_5f1c9a\nev_2026_stadium\nVIP-1-1");
  EXPECT_FALSE(signer.verify(other_seat + code.substr(last_dot)));

  std::string flipped = code;
  flipped[6] = flipped[6] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(signer.verify(flipped));
}

TEST_F(TicketSignerTest, RejectsATamperedSignature) {
  const std::string code = signer.sign(claims);
  const auto middle = code.rfind('.') + 40;
  std::string flipped = code;
  flipped[middle] = flipped[middle] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(signer.verify(flipped));
}

// base64 leaves 2 unused bits in the last character of a 64-byte signature; accepting
// them set would give every code several spellings.
TEST_F(TicketSignerTest, RejectsANonCanonicalSignatureEncoding) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string code = signer.sign(claims);
  const auto index = alphabet.find(code.back());
  ASSERT_NE(index, std::string_view::npos);
  ASSERT_EQ(index % 4, 0U) << "the unused bits of a canonical encoding are zero";
  code.back() = alphabet[index + 1];
  EXPECT_FALSE(signer.verify(code));
}

TEST_F(TicketSignerTest, RejectsACodeSignedByAnotherKey) {
  const TicketSigner other = TicketSigner::from_seed(seed_b);
  EXPECT_FALSE(signer.verify(other.sign(claims)));
  EXPECT_FALSE(other.verify(signer.sign(claims)));
  EXPECT_NE(signer.public_key_base64(), other.public_key_base64());
}

TEST_F(TicketSignerTest, RejectsASignatureTakenFromAnotherCode) {
  const std::string code = signer.sign(claims);
  const std::string other = signer.sign({"tk_other", "ev_2026_stadium", "North-12-8"});
  EXPECT_FALSE(signer.verify(code.substr(0, code.rfind('.')) + other.substr(other.rfind('.'))));
}

TEST_F(TicketSignerTest, RejectsEveryTruncation) {
  const std::string code = signer.sign(claims);
  for (std::size_t size = 0; size < code.size(); ++size) {
    EXPECT_FALSE(signer.verify(code.substr(0, size))) << size;
  }
}

TEST_F(TicketSignerTest, RejectsGarbage) {
  const std::string code = signer.sign(claims);
  const std::string payload_part = code.substr(0, code.rfind('.'));
  const std::vector<std::string> garbage{
      "",
      "hello",
      "BO1.",
      "BO1..",
      "BO1...",
      "BO1.!!!.???",
      std::string(1024, 'A'),
      std::string(100, '\0'),
      payload_part,
      payload_part + ".",
      code + "=",
      code + "==",
      code + ".",
      code + ".AAAA",
      code + "\n",
      " " + code,
      "bo1." + code.substr(4),
      "BO1:" + code.substr(4),
      payload_part + "." + std::string(86, 'A'),
      payload_part + "." + base64url(std::string(63, 'x')),
      payload_part + "." + base64url(std::string(65, 'x')),
  };
  for (const auto& candidate : garbage) {
    EXPECT_FALSE(signer.verify(candidate)) << candidate;
  }
}

TEST_F(TicketSignerTest, TestSigningHelperMatchesTheSigner) {
  const std::string crafted = code_for_payload(seed_a, "tk_5f1c9a\nev_2026_stadium\nNorth-12-7");
  EXPECT_EQ(crafted, signer.sign(claims));
}

TEST_F(TicketSignerTest, RejectsAnotherVersionEvenWhenWellSigned) {
  const std::string payload = base64url("tk_5f1c9a\nev_2026_stadium\nNorth-12-7");
  EXPECT_FALSE(signer.verify(sign_raw(seed_a, "BO2." + payload)));
  EXPECT_FALSE(signer.verify(sign_raw(seed_a, "bo1." + payload)));
}

TEST_F(TicketSignerTest, RejectsPayloadsWithoutExactlyThreeNonEmptyFields) {
  const std::vector<std::string> payloads{
      "",       "a",      "a\nb",   "a\nb\nc\nd", "a\nb\nc\n",
      "\na\nb", "a\n\nb", "a\nb\n", "\n\n",       std::string("a\nb\0c", 5)};
  for (const auto& payload : payloads) {
    EXPECT_FALSE(signer.verify(code_for_payload(seed_a, payload))) << payload;
  }
  EXPECT_TRUE(signer.verify(code_for_payload(seed_a, std::string("a\nb\nc\0d", 7))))
      << "the payload is bytes; only '\\n' is special";
}

TEST_F(TicketSignerTest, RejectsCodesLongerThan1024CharactersEvenWhenWellSigned) {
  // 91 characters of overhead ("BO1.", ".", 86 of signature); 700 payload bytes make 934.
  const std::string payload_699 = std::string(695, 'x') + "\ne\ns";
  const std::string payload_700 = std::string(696, 'x') + "\ne\ns";
  ASSERT_EQ(payload_699.size(), 699U);
  const std::string longest = code_for_payload(seed_a, payload_699);
  const std::string too_long = code_for_payload(seed_a, payload_700);
  ASSERT_EQ(longest.size(), 1023U);
  ASSERT_EQ(too_long.size(), 1025U);
  EXPECT_TRUE(signer.verify(longest));
  EXPECT_FALSE(signer.verify(too_long));
}

TEST_F(TicketSignerTest, SignsTheLongestClaimsThatVerifyAccepts) {
  const TicketClaims longest{std::string(695, 't'), "e", "s"};
  const std::string code = signer.sign(longest);
  EXPECT_LE(code.size(), TicketSigner::code_length_max);
  EXPECT_EQ(signer.verify(code), longest);
  EXPECT_THROW((void)signer.sign({std::string(696, 't'), "e", "s"}), std::invalid_argument);
}

TEST_F(TicketSignerTest, RefusesToSignClaimsItCouldNotVerify) {
  const std::vector<TicketClaims> bad{
      {"", "e", "s"},    {"t", "", "s"},     {"t", "e", ""},
      {"t\n", "e", "s"}, {"t", "e\nx", "s"}, {"t", "e", "\ns"},
  };
  for (const auto& candidate : bad) {
    EXPECT_THROW((void)signer.sign(candidate), std::invalid_argument);
  }
}

TEST_F(TicketSignerTest, CopiesShareTheKey) {
  const TicketSigner copy = signer;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.verify(signer.sign(claims)), claims);
  EXPECT_EQ(copy.public_key_base64(), signer.public_key_base64());
}

class KeyFileTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    const auto* test = testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::path{testing::TempDir()} /
                 ("boxoffice-key-" + std::string{test->name()} + "-" + std::to_string(::getpid()));
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  fs::path write_file(std::string_view name, std::string_view content, fs::perms mode) const {
    fs::path path = directory_ / name;
    {
      std::ofstream file{path, std::ios::binary | std::ios::trunc};
      file.write(content.data(), static_cast<std::streamsize>(content.size()));
    }
    fs::permissions(path, mode, fs::perm_options::replace);
    return path;
  }

  static std::string seed_text(const Seed& seed) {
    return encode({reinterpret_cast<const char*>(seed.data()), seed.size()},
                  sodium_base64_VARIANT_ORIGINAL);
  }

  static void expect_refused(const fs::path& path, std::string_view why) {
    try {
      (void)TicketSigner::from_key_file(path, true);
      ADD_FAILURE() << why << ": accepted";
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string{error.what()}.find(path.string()), std::string::npos)
          << why << ": " << error.what();
    }
  }

  static constexpr fs::perms owner_rw = fs::perms::owner_read | fs::perms::owner_write;

  fs::path directory_;
};

TEST_F(KeyFileTest, CreatesAPrivateKeyFileAndReloadsTheSameKey) {
  const fs::path path = directory_ / "new" / "deeper" / "ticket.key";
  const TicketSigner created = TicketSigner::from_key_file(path, true);

  EXPECT_EQ(fs::status(path).permissions(), owner_rw);
  EXPECT_EQ(fs::status(path.parent_path()).permissions(), fs::perms::owner_all);
  EXPECT_EQ(fs::status(path.parent_path().parent_path()).permissions(), fs::perms::owner_all);
  EXPECT_EQ(fs::file_size(path), 45U) << "44 characters of base64 and a newline";
  EXPECT_EQ(std::distance(fs::directory_iterator{path.parent_path()}, fs::directory_iterator{}), 1)
      << "no temporary file left behind";

  const TicketSigner reloaded = TicketSigner::from_key_file(path, false);
  EXPECT_EQ(reloaded.public_key_base64(), created.public_key_base64());
  EXPECT_EQ(reloaded.verify(created.sign(sample_claims())), sample_claims());
}

TEST_F(KeyFileTest, CreateIfMissingKeepsAnExistingKey) {
  const fs::path path = directory_ / "ticket.key";
  const auto first = TicketSigner::from_key_file(path, true).public_key_base64();
  EXPECT_EQ(TicketSigner::from_key_file(path, true).public_key_base64(), first);
}

// Instances starting together on a shared volume must end up with one key between them,
// whoever wins the race to create it.
TEST_F(KeyFileTest, ConcurrentCreatorsAgreeOnOneKey) {
  const fs::path path = directory_ / "shared" / "ticket.key";
  constexpr std::size_t creators = 8;
  std::vector<std::string> keys(creators);
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < creators; ++i) {
      threads.emplace_back(
          [&, i] { keys[i] = TicketSigner::from_key_file(path, true).public_key_base64(); });
    }
  }
  for (const auto& key : keys) {
    EXPECT_EQ(key, TicketSigner::from_key_file(path, false).public_key_base64());
  }
  EXPECT_EQ(std::distance(fs::directory_iterator{path.parent_path()}, fs::directory_iterator{}), 1)
      << "no temporary file left behind";
}

TEST_F(KeyFileTest, GeneratedKeysDiffer) {
  EXPECT_NE(TicketSigner::from_key_file(directory_ / "a.key", true).public_key_base64(),
            TicketSigner::from_key_file(directory_ / "b.key", true).public_key_base64());
}

TEST_F(KeyFileTest, LoadsASeedWithOrWithoutNewline) {
  const auto expected = TicketSigner::from_seed(seed_a).public_key_base64();
  for (const std::string& text : {seed_text(seed_a), seed_text(seed_a) + "\n"}) {
    const fs::path path = write_file("seed.key", text, owner_rw);
    EXPECT_EQ(TicketSigner::from_key_file(path, false).public_key_base64(), expected);
  }
}

TEST_F(KeyFileTest, LoadsA64ByteSecretKey) {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};
  crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed_a.data());
  const std::string text =
      encode({reinterpret_cast<const char*>(secret_key.data()), secret_key.size()},
             sodium_base64_VARIANT_ORIGINAL);
  const fs::path path = write_file("secret.key", text + "\n", owner_rw);
  EXPECT_EQ(TicketSigner::from_key_file(path, false).public_key_base64(),
            TicketSigner::from_seed(seed_a).public_key_base64());
}

TEST_F(KeyFileTest, AcceptsReadOnlyForTheOwner) {
  const fs::path path = write_file("ticket.key", seed_text(seed_a), fs::perms::owner_read);
  EXPECT_NO_THROW((void)TicketSigner::from_key_file(path, false));
}

TEST_F(KeyFileTest, MissingFileWithoutCreateIsRefusedNamingThePath) {
  const fs::path path = directory_ / "absent.key";
  try {
    (void)TicketSigner::from_key_file(path, false);
    ADD_FAILURE() << "accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string{error.what()}.find(path.string()), std::string::npos) << error.what();
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(KeyFileTest, RefusesKeyFilesOthersCanAccess) {
  using fs::perms;
  for (const perms extra : {perms::group_read, perms::others_read, perms::group_write,
                            perms::others_write, perms::group_exec, perms::owner_exec}) {
    const fs::path path = write_file("ticket.key", seed_text(seed_a), owner_rw | extra);
    std::ostringstream why;
    why << "mode " << std::oct << static_cast<unsigned>(owner_rw | extra);
    expect_refused(path, why.str());
  }
}

TEST_F(KeyFileTest, RefusingAGroupReadableFileSaysWhy) {
  const fs::path path =
      write_file("ticket.key", seed_text(seed_a), owner_rw | fs::perms::group_read);
  try {
    (void)TicketSigner::from_key_file(path, false);
    ADD_FAILURE() << "accepted";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find("0640"), std::string::npos) << message;
  }
}

TEST_F(KeyFileTest, RefusesMalformedKeyFiles) {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};
  crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed_a.data());
  secret_key.back() ^= 1U;  // the public half no longer matches the seed
  const std::string spliced =
      encode({reinterpret_cast<const char*>(secret_key.data()), secret_key.size()},
             sodium_base64_VARIANT_ORIGINAL);

  Seed all_ones{};
  all_ones.fill(0xFF);
  const std::string seed = seed_text(seed_a);
  char hex[2 * TicketSigner::seed_bytes + 1];
  sodium_bin2hex(hex, sizeof hex, seed_a.data(), seed_a.size());

  const std::vector<std::pair<std::string, std::string>> malformed{
      {"empty", ""},
      {"newline only", "\n"},
      {"not base64", "this is not a key"},
      {"hex", hex},
      {"raw bytes", std::string(reinterpret_cast<const char*>(seed_a.data()), seed_a.size())},
      {"31 bytes", encode(std::string(31, 'k'), sodium_base64_VARIANT_ORIGINAL)},
      {"33 bytes", encode(std::string(33, 'k'), sodium_base64_VARIANT_ORIGINAL)},
      {"missing padding", seed.substr(0, seed.size() - 1)},
      {"base64url alphabet",
       encode({reinterpret_cast<const char*>(all_ones.data()), all_ones.size()},
              sodium_base64_VARIANT_URLSAFE)},
      {"leading space", " " + seed},
      {"two newlines", seed + "\n\n"},
      {"CRLF", seed + "\r\n"},
      {"trailing text", seed + "\nextra"},
      {"two keys", seed + "\n" + seed + "\n"},
      {"spliced 64-byte key", spliced},
      {"huge", std::string(100000, 'A')},
  };
  for (const auto& [why, content] : malformed) {
    expect_refused(write_file("ticket.key", content, owner_rw), why);
  }
}

TEST_F(KeyFileTest, RefusesADirectory) {
  const fs::path path = directory_ / "ticket.key";
  fs::create_directory(path);
  fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace);
  expect_refused(path, "directory");
}

}  // namespace
}  // namespace boxoffice::tickets
