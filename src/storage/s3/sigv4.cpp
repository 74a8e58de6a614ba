#include "storage/s3/sigv4.hpp"

#include "common/percent_decode.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace boxoffice::storage::s3 {
namespace {

constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view hex_upper = "0123456789ABCDEF";

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// A '%' without two hex digits after it stays a literal '%' (and is then encoded as %25),
// as a server reading the same bytes would have to take it.
std::string percent_decode_lenient(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_digit_value(text[i + 1]);
      const int low = hex_digit_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    decoded.push_back(text[i]);
  }
  return decoded;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (true) {
    const auto slash = path.find('/', start);
    segments.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) {
      return segments;
    }
    start = slash + 1;
  }
}

std::string to_hex(std::string_view bytes) {
  std::string hex;
  hex.reserve(bytes.size() * 2);
  constexpr std::string_view hex_lower = "0123456789abcdef";
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex.push_back(hex_lower[byte >> 4]);
    hex.push_back(hex_lower[byte & 0x0f]);
  }
  return hex;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  const auto* result = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                            reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                            digest.data(), &length);
  if (result == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return {reinterpret_cast<const char*>(digest.data()), length};
}

std::string lower_case(std::string_view text) {
  std::string lower{text};
  for (auto& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

// Leading and trailing blanks removed, every inner run of blanks one space.
std::string canonical_header_value(std::string_view value) {
  std::string tidy;
  tidy.reserve(value.size());
  bool pending_space = false;
  for (const char c : value) {
    const bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (blank) {
      pending_space = !tidy.empty();
      continue;
    }
    if (pending_space) {
      tidy.push_back(' ');
      pending_space = false;
    }
    tidy.push_back(c);
  }
  return tidy;
}

bool signer_owned(std::string_view lower_name) {
  return lower_name == "x-amz-date" || lower_name == "x-amz-content-sha256" ||
         lower_name == "x-amz-security-token" || lower_name == "authorization";
}

std::string normalized_path_segments(std::string_view sent_path) {
  std::vector<std::string_view> kept;
  bool trailing_slash = false;
  for (const auto segment : split_path(sent_path)) {
    trailing_slash = segment.empty() || segment == "." || segment == "..";
    if (segment.empty() || segment == ".") {
      continue;
    }
    if (segment == "..") {
      if (!kept.empty()) {
        kept.pop_back();
      }
      continue;
    }
    kept.push_back(segment);
  }
  std::string canonical;
  for (const auto segment : kept) {
    canonical += '/';
    canonical += uri_encode(segment, true);
  }
  if (canonical.empty() || trailing_slash) {
    canonical += '/';
  }
  return canonical;
}

std::string as_sent_path_segments(std::string_view sent_path) {
  std::string canonical;
  bool first = true;
  for (const auto segment : split_path(sent_path)) {
    if (!first) {
      canonical += '/';
    }
    first = false;
    canonical += uri_encode(percent_decode_lenient(segment), true);
  }
  if (!canonical.starts_with('/')) {
    canonical.insert(0, 1, '/');
  }
  return canonical;
}

}  // namespace

std::string uri_encode(std::string_view text, bool encode_slash) {
  std::string encoded;
  encoded.reserve(text.size() * 3);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (unreserved(byte) || (c == '/' && !encode_slash)) {
      encoded.push_back(c);
      continue;
    }
    encoded.push_back('%');
    encoded.push_back(hex_upper[byte >> 4]);
    encoded.push_back(hex_upper[byte & 0x0f]);
  }
  return encoded;
}

std::string uri_encode_path(std::string_view raw_path) {
  return uri_encode(raw_path, false);
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
  return to_hex({reinterpret_cast<const char*>(digest.data()), digest.size()});
}

std::string amz_date(TimePoint time) {
  const auto days = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(time - days)};
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d%02u%02uT%02ld%02ld%02ldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()));
  return buffer.data();
}

std::string canonical_uri(std::string_view sent_path, PathRule rule) {
  if (sent_path.empty() || sent_path == "/") {
    return "/";
  }
  return rule == PathRule::as_sent ? as_sent_path_segments(sent_path)
                                   : normalized_path_segments(sent_path);
}

std::string canonical_query(const NameValues& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(uri_encode(name, true), uri_encode(value, true));
  }
  // Byte order of the encoded forms, names first: what AWS sorts on.
  std::sort(encoded.begin(), encoded.end());
  std::string canonical;
  for (const auto& [name, value] : encoded) {
    if (!canonical.empty()) {
      canonical += '&';
    }
    canonical += name;
    canonical += '=';
    canonical += value;
  }
  return canonical;
}

std::string signing_key(std::string_view secret_access_key, std::string_view date,
                        std::string_view region, std::string_view service) {
  const std::string secret = "AWS4" + std::string{secret_access_key};
  const auto date_key = hmac_sha256(secret, date);
  const auto region_key = hmac_sha256(date_key, region);
  const auto service_key = hmac_sha256(region_key, service);
  return hmac_sha256(service_key, "aws4_request");
}

SignedRequest sign(const SigningRequest& request, const Credentials& credentials,
                   const SigningScope& scope, TimePoint time) {
  SignedRequest signed_request;
  const auto timestamp = amz_date(time);
  const auto date = timestamp.substr(0, 8);

  signed_request.headers_to_add.emplace_back("x-amz-date", timestamp);
  if (scope.payload_hash_header) {
    signed_request.headers_to_add.emplace_back("x-amz-content-sha256", request.payload_hash);
  }
  if (!credentials.session_token.empty()) {
    signed_request.headers_to_add.emplace_back("x-amz-security-token", credentials.session_token);
  }

  // Values of a repeated header are joined with ',' in the order given (an ordered map
  // keeps the names sorted by byte).
  std::map<std::string, std::string> headers;
  const auto add_header = [&headers](std::string_view name, std::string_view value) {
    auto [slot, inserted] = headers.try_emplace(lower_case(name), canonical_header_value(value));
    if (!inserted) {
      slot->second += ',';
      slot->second += canonical_header_value(value);
    }
  };
  for (const auto& [name, value] : request.headers) {
    if (!signer_owned(lower_case(name))) {
      add_header(name, value);
    }
  }
  for (const auto& [name, value] : signed_request.headers_to_add) {
    add_header(name, value);
  }

  std::string canonical_headers;
  std::string signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers.append(name).append(1, ':').append(value).append(1, '\n');
    if (!signed_headers.empty()) {
      signed_headers += ';';
    }
    signed_headers += name;
  }

  signed_request.query_string = canonical_query(request.query);
  signed_request.canonical_request = request.method + '\n' +
                                     canonical_uri(request.path, scope.path_rule) + '\n' +
                                     signed_request.query_string + '\n' + canonical_headers + '\n' +
                                     signed_headers + '\n' + request.payload_hash;

  const auto credential_scope = date + '/' + scope.region + '/' + scope.service + "/aws4_request";
  signed_request.string_to_sign = std::string{algorithm} + '\n' + timestamp + '\n' +
                                  credential_scope + '\n' +
                                  sha256_hex(signed_request.canonical_request);

  const auto key = signing_key(credentials.secret_access_key, date, scope.region, scope.service);
  signed_request.signature = to_hex(hmac_sha256(key, signed_request.string_to_sign));
  signed_request.authorization =
      std::string{algorithm} + " Credential=" + credentials.access_key_id + '/' + credential_scope +
      ", SignedHeaders=" + signed_headers + ", Signature=" + signed_request.signature;
  signed_request.headers_to_add.emplace_back("authorization", signed_request.authorization);
  return signed_request;
}

}  // namespace boxoffice::storage::s3
