// ByteBudget: a process-wide allowance of request-body bytes held in memory,
// shared by every connection of an HttpServer (across its event loops).
//
// A connection takes bytes before it reads them from its socket and gives
// them all back once the request is handed to the handler, or when the
// connection fails or closes. When the budget is spent a connection simply
// waits (it stops reading: backpressure) until bytes free up; waiters are
// served in arrival order.
//
// Deadlock-freedom: `reserve` bytes (at least the most one request ever
// holds) are kept for a single "finisher". Ordinary takes come from the rest
// (`capacity - reserve`). A take that cannot be served while nobody is the
// finisher makes its account the finisher; from then on all of that
// account's takes succeed at once, from the reserve, until it releases. So
// at any time at least one waiting connection can finish its request, and
// the others follow as bytes are released.
//
// Thread-safe. Accounts themselves are touched only through the budget.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <vector>

namespace net {

class ByteBudget {
 public:
  // `capacity`: the most bytes all accounts together hold (raised to
  // `reserve` if smaller). `reserve`: the most bytes one account ever takes
  // (the largest request body plus one read).
  ByteBudget(uint64_t capacity, uint64_t reserve);
  ByteBudget(const ByteBudget&) = delete;
  ByteBudget& operator=(const ByteBudget&) = delete;

  // Called once bytes were taken for a waiting account. Runs on the thread
  // that released them, without the budget's lock: it should only post work
  // to the account owner's own thread.
  using Wake = std::function<void()>;

  // One holder's share (a connection's). Must be Release()d before it is
  // destroyed if it ever took bytes or waited.
  class Account {
   public:
    Account() = default;
    Account(const Account&) = delete;
    Account& operator=(const Account&) = delete;

   private:
    friend class ByteBudget;
    struct Waiter {
      Account* account;
      uint64_t want;
      Wake wake;
    };
    uint64_t general_ = 0;  // bytes held from the shared part
    uint64_t reserve_ = 0;  // bytes held from the reserve (finisher only)
    bool waiting_ = false;
    std::list<Waiter>::iterator place_;
  };

  // Takes `n` more bytes for `account`. Returns true if they were taken now.
  // Otherwise the account waits in line and false is returned: later, once
  // `n` bytes could be taken for it, `wake` is called. An account waits for
  // at most one Take at a time (a second Take while waiting is a bug).
  bool Take(Account* account, uint64_t n, Wake wake);

  // Counts `n` bytes already received without waiting; may overdraw the
  // budget (the bytes are in memory anyway). Others then wait longer.
  void Force(Account* account, uint64_t n);

  // Gives back everything `account` holds (including bytes taken for it
  // while it waited and not yet used) and drops its place in line.
  void Release(Account* account);

  // The event loops are shutting down: drops the line (destroying its wake
  // callbacks, without calling them); from now on Release wakes nobody and
  // Take always succeeds.
  void Shutdown();

  uint64_t capacity() const { return capacity_; }
  // Bytes held by all accounts.
  uint64_t used() const;
  // Bytes `account` holds.
  uint64_t held(const Account& account) const;
  // Accounts waiting in line.
  size_t waiting() const;

 private:
  // Serves waiters from the front of the line while bytes allow; appends
  // their wake callbacks to `wakes`. Lock held.
  void ServeLine(std::vector<Wake>* wakes);

  const uint64_t capacity_;
  const uint64_t reserve_;
  mutable std::mutex mu_;
  uint64_t general_used_ = 0;  // may exceed capacity_ - reserve_ after Force
  uint64_t reserve_used_ = 0;
  Account* finisher_ = nullptr;
  std::list<Account::Waiter> line_;
  bool shutdown_ = false;
};

}  // namespace net
