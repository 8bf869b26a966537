// The store's single entry point for the wasm boundary: a method name, JSON params, and optional
// bytes in and out. The Embind layer exposes call() as one function; the worker's TypeScript
// Store API is built on it. Methods and params are listed in src/store/README.md.
//
//   Store store(":memory:");
//   StoreCommands commands(store);
//   json avatar = commands.call("avatars.create", {{"name", "Ada"}}, nullptr, nullptr);
//   std::vector<uint8_t> wav = ...;
//   json audio = commands.call("audios.create", {{"avatarId", avatar["id"]}, {"text", "Hi."},
//                              {"voiceId", "amy"}, {"sampleRate", 22050}, {"durationMs", 500},
//                              {"format", "wav"}}, &wav, nullptr);
//   std::vector<uint8_t> out;
//   commands.call("audios.getBytes", {{"id", audio["id"]}}, nullptr, &out);
//
// Ownership: StoreCommands borrows the Store, which must outlive it. blobIn is only read during the
// call; blobOut is overwritten and owned by the caller. Returned JSON is a fresh value.
// Errors: avatar_voice::Error only. An unknown method or param, or a param of the wrong type, is
// kInvalidArgument naming it; any other C++ exception is turned into kInternal. When the files may
// not grow (a full OPFS quota) the call fails with kQuotaExceeded, "storage quota exceeded during
// <method>; the transaction was rolled back", and every open transaction is rolled back.
//
// Transactions ("transaction.begin/commit/rollback") let the worker run
// `store.transaction(async tx => ...)` across several calls. They are strictly nested, identified
// by the txId that begin returns, and never left open by accident:
//   - commit must name the innermost open transaction; rollback of an outer one also rolls back
//     every inner one;
//   - "transaction.rollbackAll" rolls back whatever is open (the worker calls it from `finally`
//     when a callback failed in a way that skipped its own rollback);
//   - destroying StoreCommands (worker dispose) rolls back anything still open, and if the worker
//     dies instead, SQLite's rollback journal undoes the transaction when the file is next opened;
//   - export/import refuse to run inside a transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/command_params.h"
#include "store/store.h"

namespace avatar_voice::store {

// What a method handler sees of one call.
struct CommandRequest {
  const std::string& method;
  CommandParams params;
  const std::vector<uint8_t>* blobIn;
  std::vector<uint8_t>* blobOut;

  // The input bytes; kInvalidArgument if the caller passed none.
  const std::vector<uint8_t>& requireBlobIn() const;
  // Where to write output bytes; kInvalidArgument if the caller passed no buffer.
  std::vector<uint8_t>& requireBlobOut() const;
};

class StoreCommands {
 public:
  explicit StoreCommands(Store& store);
  ~StoreCommands();
  StoreCommands(const StoreCommands&) = delete;
  StoreCommands& operator=(const StoreCommands&) = delete;

  nlohmann::json call(const std::string& method, const nlohmann::json& params,
                      const std::vector<uint8_t>* blobIn, std::vector<uint8_t>* blobOut);

  // Every method name with its accepted param names (for docs, tests and the TS typings).
  std::map<std::string, std::vector<std::string>> methods() const;

 private:
  using Handler = std::function<nlohmann::json(CommandRequest&)>;
  struct Method {
    std::vector<std::string> params;
    Handler handler;
  };
  struct OpenTransaction {
    int64_t txId;
    int level;
  };

  void add(const std::string& name, std::vector<std::string> params, Handler handler);
  // "<entity>.getMany": `ids` → the rows in the same order, null for an id that does not exist
  // (one call reads a page of rows; a missing one does not fail the others).
  void addGetMany(const std::string& entity, std::function<nlohmann::json(int64_t)> get);
  void addEntityCommands();  // avatars, sessions, presets, config (store_commands.cpp)
  void addMediaCommands();   // renders, audios, phonemes, assets (store_commands_media.cpp)
  void addStoreCommands();   // transaction.*, stats, health, export, import

  // Drops transactions SQLite has already rolled back by itself.
  void forgetClosedTransactions();
  // Rolls back every open transaction and returns the kQuotaExceeded error `method` reports.
  Error quotaExceeded(const std::string& method);
  size_t findTransaction(CommandRequest& request);

  Store& store_;
  std::map<std::string, Method> methods_;
  std::vector<OpenTransaction> openTransactions_;
  int64_t nextTxId_ = 1;
};

}  // namespace avatar_voice::store
