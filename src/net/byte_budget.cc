#include "net/byte_budget.h"

#include <algorithm>

namespace net {

ByteBudget::ByteBudget(uint64_t capacity, uint64_t reserve)
    : capacity_(std::max(capacity, reserve)), reserve_(reserve) {}

bool ByteBudget::Take(Account* account, uint64_t n, Wake wake) {
  std::lock_guard lock(mu_);
  if (account->waiting_) return false;  // misuse: already in line
  if (finisher_ == account || shutdown_) {
    account->reserve_ += n;
    reserve_used_ += n;
    return true;
  }
  if (line_.empty() && general_used_ + n <= capacity_ - reserve_) {
    account->general_ += n;
    general_used_ += n;
    return true;
  }
  if (finisher_ == nullptr) {
    // The line is empty here: a waiter is always served as soon as nobody
    // is the finisher (see ServeLine).
    finisher_ = account;
    account->reserve_ += n;
    reserve_used_ += n;
    return true;
  }
  account->waiting_ = true;
  account->place_ = line_.insert(line_.end(), Account::Waiter{account, n, std::move(wake)});
  return false;
}

void ByteBudget::Force(Account* account, uint64_t n) {
  std::lock_guard lock(mu_);
  account->general_ += n;
  general_used_ += n;
}

void ByteBudget::Release(Account* account) {
  std::vector<Wake> wakes;
  // The account's own place in line is destroyed after the lock is let go:
  // its wake may hold the last reference to the account's owner.
  std::list<Account::Waiter> left;
  {
    std::lock_guard lock(mu_);
    if (account->waiting_) {
      left.splice(left.end(), line_, account->place_);
      account->waiting_ = false;
    }
    general_used_ -= account->general_;
    reserve_used_ -= account->reserve_;
    account->general_ = 0;
    account->reserve_ = 0;
    if (finisher_ == account) finisher_ = nullptr;
    if (!shutdown_) ServeLine(&wakes);
  }
  for (auto& wake : wakes) wake();
}

void ByteBudget::ServeLine(std::vector<Wake>* wakes) {
  while (!line_.empty()) {
    Account::Waiter& w = line_.front();
    Account* a = w.account;
    if (finisher_ == nullptr) {
      finisher_ = a;
      a->reserve_ += w.want;
      reserve_used_ += w.want;
    } else if (general_used_ + w.want <= capacity_ - reserve_) {
      a->general_ += w.want;
      general_used_ += w.want;
    } else {
      break;
    }
    a->waiting_ = false;
    wakes->push_back(std::move(w.wake));
    line_.pop_front();
  }
}

void ByteBudget::Shutdown() {
  std::list<Account::Waiter> left;
  {
    std::lock_guard lock(mu_);
    shutdown_ = true;
    for (auto& w : line_) w.account->waiting_ = false;
    left.swap(line_);
  }
  // Destroying the wakes may destroy their owners, which Release.
}

uint64_t ByteBudget::used() const {
  std::lock_guard lock(mu_);
  return general_used_ + reserve_used_;
}

uint64_t ByteBudget::held(const Account& account) const {
  std::lock_guard lock(mu_);
  return account.general_ + account.reserve_;
}

size_t ByteBudget::waiting() const {
  std::lock_guard lock(mu_);
  return line_.size();
}

}  // namespace net
