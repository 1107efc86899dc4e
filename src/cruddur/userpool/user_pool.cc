#include "cruddur/userpool/user_pool.h"

#include <array>
#include <exception>
#include <filesystem>

#include "cruddur/userpool/password_hash.h"
#include "cruddur/userpool/pool_core.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/request.h"

namespace cruddur::userpool {
namespace {

constexpr const char* kDatabaseFile = "userpool.sqlite3";
constexpr const char* kKeyFile = "userpool-signing-key.pem";

using Operation = base::Result<std::string> (PoolCore::*)(Request&);

struct Route {
  std::string_view name;
  Operation run;
};

constexpr std::array<Route, 23> kRoutes = {{
    {"SignUp", &PoolCore::SignUp},
    {"ConfirmSignUp", &PoolCore::ConfirmSignUp},
    {"ResendConfirmationCode", &PoolCore::ResendConfirmationCode},
    {"ForgotPassword", &PoolCore::ForgotPassword},
    {"ConfirmForgotPassword", &PoolCore::ConfirmForgotPassword},
    {"ChangePassword", &PoolCore::ChangePassword},
    {"AdminConfirmSignUp", &PoolCore::AdminConfirmSignUp},
    {"AdminCreateUser", &PoolCore::AdminCreateUser},
    {"AdminSetUserPassword", &PoolCore::AdminSetUserPassword},
    {"InitiateAuth", &PoolCore::InitiateAuth},
    {"RespondToAuthChallenge", &PoolCore::RespondToAuthChallenge},
    {"GetTokensFromRefreshToken", &PoolCore::GetTokensFromRefreshToken},
    {"GetUser", &PoolCore::GetUser},
    {"AdminGetUser", &PoolCore::AdminGetUser},
    {"ListUsers", &PoolCore::ListUsers},
    {"AdminUpdateUserAttributes", &PoolCore::AdminUpdateUserAttributes},
    {"AdminDeleteUser", &PoolCore::AdminDeleteUser},
    {"DeleteUser", &PoolCore::DeleteUser},
    {"GlobalSignOut", &PoolCore::GlobalSignOut},
    {"RevokeToken", &PoolCore::RevokeToken},
    {"UpdateUserAttributes", &PoolCore::UpdateUserAttributes},
    {"GetUserAttributeVerificationCode", &PoolCore::GetUserAttributeVerificationCode},
    {"VerifyUserAttribute", &PoolCore::VerifyUserAttribute},
}};

PoolResponse ErrorResponse(const base::Error& error) {
  return PoolResponse{static_cast<unsigned>(ErrorStatus(error)), ErrorBody(error)};
}

base::Status CheckOptions(const UserPoolOptions& o) {
  if (o.region.empty()) return InvalidParameter("the user pool needs a region");
  if (!MatchesShape(o.pool_id, shape::kUserPoolId)) {
    return InvalidParameter("the user pool id '" + o.pool_id +
                            "' is not of the form <region>_<letters and digits>");
  }
  if (!MatchesShape(o.client_id, shape::kClientId)) {
    return InvalidParameter("the app client id '" + o.client_id +
                            "' must be 1 to 128 letters, digits, '_' or '+'");
  }
  if (o.scrypt_log2_n < kMinScryptLog2N || o.scrypt_log2_n > kMaxScryptLog2N) {
    return InvalidParameter("scrypt_log2_n must be in [" + std::to_string(kMinScryptLog2N) + ", " +
                            std::to_string(kMaxScryptLog2N) + "]");
  }
  if (o.access_token_validity.count() <= 0 || o.id_token_validity.count() <= 0 ||
      o.refresh_token_validity.count() <= 0) {
    return InvalidParameter("token validities must be positive");
  }
  if (o.code_validity.count() <= 0 || o.lockout_unit.count() <= 0) {
    return InvalidParameter("code_validity and lockout_unit must be positive");
  }
  return CheckCustomAttributeNames(o.custom_attributes);
}

}  // namespace

std::string PoolUser::Attribute(std::string_view name) const {
  for (const auto& [n, v] : attributes) {
    if (n == name) return v;
  }
  return "";
}

base::Result<std::unique_ptr<UserPool>> UserPool::Open(UserPoolOptions options) {
  RETURN_IF_ERROR(CheckOptions(options));
  std::shared_ptr<const SigningKey> key;
  std::unique_ptr<PoolStore> store;
  if (options.data_dir.empty()) {
    ASSIGN_OR_RETURN(SigningKey fresh, SigningKey::Generate());
    key = std::make_shared<const SigningKey>(std::move(fresh));
    ASSIGN_OR_RETURN(store, PoolStore::Open(":memory:"));
  } else {
    const std::filesystem::path dir(options.data_dir);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return InternalError("cannot create " + options.data_dir + ": " + ec.message());
    ASSIGN_OR_RETURN(SigningKey loaded, SigningKey::LoadOrCreate((dir / kKeyFile).string()));
    key = std::make_shared<const SigningKey>(std::move(loaded));
    ASSIGN_OR_RETURN(store, PoolStore::Open((dir / kDatabaseFile).string()));
  }
  auto core = std::make_unique<PoolCore>(std::move(options), std::move(key), std::move(store));
  return std::unique_ptr<UserPool>(new UserPool(std::move(core)));
}

UserPool::UserPool(std::unique_ptr<PoolCore> core) : core_(std::move(core)) {}

UserPool::~UserPool() = default;

PoolResponse UserPool::Call(std::string_view operation, std::string_view body) {
  try {
    const Route* route = nullptr;
    for (const Route& r : kRoutes) {
      if (r.name == operation) route = &r;
    }
    if (!route) return PoolResponse{400, R"({"__type":"UnknownOperationException"})"};
    Request request;
    if (auto st = request.Parse(body); !st.ok()) return ErrorResponse(st.error());
    auto out = (core_.get()->*route->run)(request);
    if (!out.ok()) return ErrorResponse(AsPoolError(std::move(out).error()));
    return PoolResponse{200, std::move(out).value()};
  } catch (const std::exception& e) {
    return ErrorResponse(InternalError(std::string("internal error: ") + e.what()));
  } catch (...) {
    return ErrorResponse(InternalError("internal error"));
  }
}

std::string UserPool::JwksJson() const { return core_->JwksJson(); }

const std::string& UserPool::pool_id() const { return core_->options().pool_id; }

const std::string& UserPool::client_id() const { return core_->options().client_id; }

std::string UserPool::issuer() const { return core_->issuer(); }

base::Result<PoolUser> UserPool::EnsureUser(
    std::string_view email, std::string_view password,
    const std::vector<std::pair<std::string, std::string>>& attributes) {
  try {
    auto user = core_->EnsureUser(email, password, attributes);
    if (!user.ok()) return AsPoolError(std::move(user).error());
    return user;
  } catch (const std::exception& e) {
    return InternalError(std::string("internal error: ") + e.what());
  }
}

}  // namespace cruddur::userpool
