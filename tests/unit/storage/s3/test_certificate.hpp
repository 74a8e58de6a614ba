// A throwaway self-signed certificate, made in memory with OpenSSL for the TLS tests: it is
// its own CA, so a client trusts it by loading it as a CA file. No openssl command needed.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace boxoffice::storage::s3::fakes {

struct TestCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
};

namespace certificate_detail {

inline std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);
  return {data, static_cast<std::size_t>(length)};
}

inline void add_extension(X509* certificate, int nid, const char* value) {
  X509V3_CTX context{};
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  const std::unique_ptr<X509_EXTENSION, decltype(&X509_EXTENSION_free)> extension{
      X509V3_EXT_conf_nid(nullptr, &context, nid, value), X509_EXTENSION_free};
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
    throw std::runtime_error("cannot add a certificate extension");
  }
}

}  // namespace certificate_detail

// Valid for a day, for the names in `subject_alt_names` ("DNS:localhost,IP:127.0.0.1").
inline TestCertificate self_signed_certificate(const std::string& subject_alt_names) {
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{
      EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free};
  const std::unique_ptr<X509, decltype(&X509_free)> certificate{X509_new(), X509_free};
  if (!key || !certificate) {
    throw std::runtime_error("cannot make a test key");
  }
  X509* cert = certificate.get();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24L * 3600);
  X509_set_pubkey(cert, key.get());
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("boxoffice test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  certificate_detail::add_extension(cert, NID_basic_constraints, "critical,CA:TRUE");
  certificate_detail::add_extension(cert, NID_subject_alt_name, subject_alt_names.c_str());
  if (X509_sign(cert, key.get(), EVP_sha256()) == 0) {
    throw std::runtime_error("cannot sign the test certificate");
  }

  const std::unique_ptr<BIO, decltype(&BIO_free)> certificate_bio{BIO_new(BIO_s_mem()), BIO_free};
  const std::unique_ptr<BIO, decltype(&BIO_free)> key_bio{BIO_new(BIO_s_mem()), BIO_free};
  if (PEM_write_bio_X509(certificate_bio.get(), cert) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1) {
    throw std::runtime_error("cannot write the test certificate");
  }
  return {.certificate_pem = certificate_detail::bio_text(certificate_bio.get()),
          .private_key_pem = certificate_detail::bio_text(key_bio.get())};
}

}  // namespace boxoffice::storage::s3::fakes
