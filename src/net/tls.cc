#include "net/tls.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

namespace net {

namespace {

// Never prompt for a pass phrase: an encrypted key just fails to load.
int NoPassPhrase(char*, int, int, void*) { return 0; }

// The reason of OpenSSL's most recent error (the queue is then cleared).
std::string OpenSslReason() {
  const unsigned long e = ERR_peek_last_error();
  const char* reason = e != 0 ? ERR_reason_error_string(e) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : "unknown error";
}

// Why `path` cannot be read (strerror), or empty if it can and is not empty.
std::string Unreadable(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  char byte;
  const ssize_t n = ::read(fd, &byte, 1);
  const int err = errno;
  ::close(fd);
  if (n < 0) return std::strerror(err);
  if (n == 0) return "the file is empty";
  return "";
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

}  // namespace

std::shared_ptr<TlsContext> LoadTlsContext(const std::string& cert_file,
                                           const std::string& key_file, std::string* error) {
  auto fail = [&](std::string message) -> std::shared_ptr<TlsContext> {
    ERR_clear_error();
    if (error) *error = std::move(message);
    return nullptr;
  };
  const std::string cert_name = "TLS certificate file '" + cert_file + "'";
  const std::string key_name = "TLS key file '" + key_file + "'";
  if (auto why = Unreadable(cert_file); !why.empty()) return fail(cert_name + ": " + why);
  if (auto why = Unreadable(key_file); !why.empty()) return fail(key_name + ": " + why);

  std::shared_ptr<TlsContext> tls;
  try {
    tls = std::make_shared<TlsContext>(
        boost::asio::ssl::context(boost::asio::ssl::context::tls_server));
  } catch (const std::exception& e) {  // SSL_CTX_new failed (out of memory)
    return fail(std::string("cannot create a TLS context: ") + e.what());
  }
  SSL_CTX* ctx = tls->context().native_handle();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return fail("cannot require TLS 1.2: " + OpenSslReason());
  }
  // A client closing without close_notify reads as the end of the stream.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                               SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_default_passwd_cb(ctx, NoPassPhrase);

  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return fail(cert_name + ": not a PEM certificate chain (" + OpenSslReason() + ")");
  }
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(key_file.c_str(), "rb"));
  if (!bio) return fail(key_name + ": " + OpenSslReason());
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassPhrase, nullptr));
  if (!key) {
    return fail(key_name + ": not an unencrypted PEM private key (" + OpenSslReason() + ")");
  }
  X509* leaf = SSL_CTX_get0_certificate(ctx);
  if (leaf == nullptr || X509_check_private_key(leaf, key.get()) != 1) {
    return fail(key_name + " does not match the certificate in '" + cert_file + "'");
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return fail(key_name + ": " + OpenSslReason());
  }
  ERR_clear_error();
  return tls;
}

}  // namespace net
