// Which certificate authorities an https client trusts, resolved as the AWS
// CLI and SDKs do: AWS_CA_BUNDLE, else the profile's `ca_bundle` in the
// config file, else the system's store. The way to reach a server whose
// certificate a private CA signed (a ddb-server or `cruddur serve` started
// with --tls-cert and a self-signed certificate) without turning
// verification off.
#pragma once

#include <string>

#include "aws/shared_config.h"
#include "base/error.h"

namespace aws {

// The PEM bundle's path, or "" for the system's store. Errors
// (ClientErrorCode::kConfig, one line naming where the path came from): a
// bundle that is set but cannot be read, so that a typo is not reported
// later as a certificate the server does not deserve.
base::Result<std::string> ResolveCaBundle(const EnvLookup& env, const SharedConfig& config);

}  // namespace aws
