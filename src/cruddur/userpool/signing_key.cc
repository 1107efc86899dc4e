#include "cruddur/userpool/signing_key.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/base64.h"
#include "cruddur/userpool/pool_error.h"

namespace cruddur::userpool {
namespace {

constexpr int kRsaBits = 2048;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

std::string ErrnoText() { return std::strerror(errno); }

base::Result<std::string> BnParam(EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) return InternalError("cannot read RSA key");
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

base::Result<std::string> PrivatePem(EVP_PKEY* pkey) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return InternalError("cannot encode the signing key");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

EVP_PKEY* NewRsaKey() { return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{kRsaBits}); }

// Writes `contents` to a new file at `path` (mode 0600), atomically and
// without replacing an existing file: false with errno EEXIST if one exists.
bool WriteNewFile(const std::string& path, const std::string& contents, std::string& error) {
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    error = "cannot create " + tmp + ": " + ErrnoText();
    return false;
  }
  bool ok = fchmod(fd, 0600) == 0;
  for (size_t off = 0; ok && off < contents.size();) {
    const ssize_t n = write(fd, contents.data() + off, contents.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      ok = false;
    else
      off += static_cast<size_t>(n);
  }
  ok = ok && fsync(fd) == 0;
  if (!ok) error = "cannot write " + tmp + ": " + ErrnoText();
  close(fd);
  // link() never replaces: of two processes creating the key, one wins.
  if (ok && link(tmp.c_str(), path.c_str()) != 0) {
    const int link_errno = errno;
    error = "cannot create " + path + ": " + ErrnoText();
    unlink(tmp.c_str());
    errno = link_errno;
    return false;
  }
  unlink(tmp.c_str());
  return ok;
}

}  // namespace

base::Result<SigningKey> SigningKey::FromPkey(EVP_PKEY* raw) {
  std::shared_ptr<EVP_PKEY> pkey(raw, EVP_PKEY_free);
  if (!pkey) return InternalError("no signing key");
  if (EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA) {
    return InternalError("the signing key is not an RSA key");
  }
  if (EVP_PKEY_get_bits(pkey.get()) < kRsaBits) {
    return InternalError("the signing key is shorter than 2048 bits");
  }
  SigningKey key;
  key.pkey_ = pkey;
  ASSIGN_OR_RETURN(std::string n, BnParam(pkey.get(), OSSL_PKEY_PARAM_RSA_N));
  ASSIGN_OR_RETURN(std::string e, BnParam(pkey.get(), OSSL_PKEY_PARAM_RSA_E));
  key.n_b64_ = base::Base64UrlEncode(n);
  key.e_b64_ = base::Base64UrlEncode(e);
  auto pub = auth::RsaPublicKey::FromComponents(n, e);
  if (!pub) return InternalError("the signing key's public half is unusable");
  key.public_key_ = std::make_shared<const auth::RsaPublicKey>(std::move(*pub));

  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(pkey.get(), &der);
  if (der_len <= 0) return InternalError("cannot encode the public key");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_Digest(der, static_cast<size_t>(der_len), md, &md_len, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  key.kid_ = base::Base64UrlEncode(std::string_view(reinterpret_cast<char*>(md), md_len));
  return key;
}

base::Result<SigningKey> SigningKey::Generate() {
  EVP_PKEY* pkey = NewRsaKey();
  if (!pkey) return InternalError("cannot generate an RSA key");
  return FromPkey(pkey);
}

base::Result<SigningKey> SigningKey::LoadOrCreate(const std::string& path) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return InternalError("cannot create directory " + parent.string() + ": " + ec.message());

  if (!std::filesystem::exists(path, ec)) {
    EVP_PKEY* fresh = NewRsaKey();
    if (!fresh) return InternalError("cannot generate an RSA key");
    auto pem = PrivatePem(fresh);
    if (!pem.ok()) {
      EVP_PKEY_free(fresh);
      return std::move(pem).error();
    }
    std::string error;
    if (WriteNewFile(path, *pem, error)) return FromPkey(fresh);
    EVP_PKEY_free(fresh);
    if (errno != EEXIST) return InternalError(error);
    // Another process created the key first: use theirs.
  }

  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return InternalError("cannot read the signing key " + path);
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!pkey) {
    return InternalError("the signing key file " + path +
                         " holds no PEM private key (delete it to make a new one)");
  }
  auto key = FromPkey(pkey);
  if (!key.ok()) {
    return InternalError(key.error().message + " (" + path + "; delete it to make a new one)");
  }
  return key;
}

std::string SigningKey::JwksJson() const {
  return R"({"keys":[{"alg":"RS256","e":")" + e_b64_ + R"(","kid":")" + kid_ +
         R"(","kty":"RSA","n":")" + n_b64_ + R"(","use":"sig"}]})";
}

base::Result<std::string> SigningKey::SignRs256(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) != 1) {
    return InternalError("cannot start an RS256 signature");
  }
  auto* in = reinterpret_cast<const unsigned char*>(data.data());
  size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1) {
    return InternalError("cannot size an RS256 signature");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     data.size()) != 1) {
    return InternalError("RS256 signing failed");
  }
  sig.resize(len);
  return sig;
}

bool SigningKey::VerifyRs256(std::string_view data, std::string_view signature) const {
  return public_key_ && public_key_->VerifyRs256(data, signature);
}

}  // namespace cruddur::userpool
