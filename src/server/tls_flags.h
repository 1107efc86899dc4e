// The --tls-cert / --tls-key flags, shared by ddb-server and `cruddur serve`
// so both spell, document and check them alike. Header-only (CLI11);
// included only by the programs' option parsing and start-up.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "net/tls.h"

namespace server {

// Adds --tls-cert FILE and --tls-key FILE to `app`, writing the paths into
// `*cert_file` and `*key_file`. Checked by TlsFromFlags, not by CLI11, so
// that a mistake is one line.
inline void AddTlsFlags(CLI::App* app, std::string* cert_file, std::string* key_file) {
  const char* group = "TLS";
  app->add_option("--tls-cert", *cert_file,
                  "Certificate chain (PEM, the server's certificate first): serve HTTPS\n"
                  "(TLS 1.2 or later) instead of HTTP; needs --tls-key")
      ->type_name("FILE")
      ->group(group);
  app->add_option("--tls-key", *key_file,
                  "The certificate's private key (PEM, unencrypted); needs --tls-cert")
      ->type_name("FILE")
      ->group(group);
}

// The TLS context of the flags' files. Null with `*error` empty when neither
// flag was given (plain HTTP); null with a one-line reason when only one
// was, or the files do not load (see net::LoadTlsContext).
inline std::shared_ptr<net::TlsContext> TlsFromFlags(const std::string& cert_file,
                                                     const std::string& key_file,
                                                     std::string* error) {
  error->clear();
  if (cert_file.empty() && key_file.empty()) return nullptr;
  if (key_file.empty()) {
    *error = "--tls-cert needs --tls-key (the certificate's private key)";
    return nullptr;
  }
  if (cert_file.empty()) {
    *error = "--tls-key needs --tls-cert (the certificate chain)";
    return nullptr;
  }
  return net::LoadTlsContext(cert_file, key_file, error);
}

}  // namespace server
