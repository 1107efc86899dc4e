// --tls-cert / --tls-key (server/tls_flags.h): parsed by CLI11, then checked
// as a pair with one-line reasons.
#include "server/tls_flags.h"

#include <gtest/gtest.h>

namespace server {
namespace {

TEST(TlsFlags, NeitherFlagMeansPlainHttp) {
  std::string error = "stale";
  EXPECT_EQ(TlsFromFlags("", "", &error), nullptr);
  EXPECT_EQ(error, "");
}

TEST(TlsFlags, OneWithoutTheOtherIsAOneLineError) {
  std::string error;
  EXPECT_EQ(TlsFromFlags("cert.pem", "", &error), nullptr);
  EXPECT_EQ(error, "--tls-cert needs --tls-key (the certificate's private key)");
  EXPECT_EQ(TlsFromFlags("", "key.pem", &error), nullptr);
  EXPECT_EQ(error, "--tls-key needs --tls-cert (the certificate chain)");
}

TEST(TlsFlags, FilesThatDoNotLoadAreAOneLineError) {
  std::string error;
  EXPECT_EQ(TlsFromFlags("/nonexistent/cert.pem", "/nonexistent/key.pem", &error), nullptr);
  EXPECT_EQ(error, "TLS certificate file '/nonexistent/cert.pem': No such file or directory");
}

TEST(TlsFlags, ParsedFromTheCommandLine) {
  CLI::App app;
  std::string cert, key;
  AddTlsFlags(&app, &cert, &key);
  const char* argv[] = {"prog", "--tls-cert", "c.pem", "--tls-key", "k.pem"};
  app.parse(5, const_cast<char**>(argv));
  EXPECT_EQ(cert, "c.pem");
  EXPECT_EQ(key, "k.pem");
}

}  // namespace
}  // namespace server
