#include "aws/ca_bundle.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "aws/client_error.h"

namespace aws {

base::Result<std::string> ResolveCaBundle(const EnvLookup& env, const SharedConfig& config) {
  std::string path, source;
  if (auto e = env("AWS_CA_BUNDLE")) {
    path = *e;
    source = "AWS_CA_BUNDLE";
  } else if (auto c = config.ConfigValue("ca_bundle")) {
    path = *c;
    source = "ca_bundle of profile " + config.profile + " in " + config.config_path;
  }
  if (path.empty()) return std::string();
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in || in.peek() == std::ifstream::traits_type::eof()) {
    const char* why = errno != 0 ? std::strerror(errno) : "empty or not a file";
    return ClientError(ClientErrorCode::kConfig,
                       source + ": cannot read the CA bundle " + path + ": " + why);
  }
  return path;
}

}  // namespace aws
