// Embind surface of the store: open it (in memory, or on OPFS handles the JS side opened ahead
// of time), then one entry point for every command (src/store/README.md lists them).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/limits.h"
#include "opfs_file.h"
#include "store/file_pool_vfs.h"
#include "store/store.h"
#include "store/store_commands.h"
#include "wasm_values.h"

using emscripten::val;

namespace avatar_voice::wasm {
namespace {

constexpr const char* kOpfsVfs = "avatar-voice-opfs";

struct OpenStore {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::StoreCommands> commands;
};

OpenStore& openStore() {
  static OpenStore s;
  return s;
}

void closeStoreNow() {
  OpenStore& s = openStore();
  s.commands.reset();
  s.store.reset();
}

// `files`: [{name, slot}] — every file SQLite may open (the database and its journal), already
// opened by the JS side as sync access handles in Module.avatarVoiceOpfs[slot]. Empty → memory.
val storeOpen(const std::string& path, val files) {
  return guarded([&] {
    closeStoreNow();
    std::string vfs;
    const int count = files["length"].as<int>();
    if (count > 0) {
      auto pool = std::make_shared<store::FilePool>();
      for (int i = 0; i < count; ++i)
        pool->add(files[i]["name"].as<std::string>(), std::make_shared<OpfsFile>(files[i]["slot"].as<int>()));
      store::registerFilePoolVfs(kOpfsVfs, pool);
      vfs = kOpfsVfs;
    }
    OpenStore& s = openStore();
    s.store = std::make_unique<store::Store>(path, vfs);
    s.commands = std::make_unique<store::StoreCommands>(*s.store);
    return val(true);
  });
}

val storeClose() {
  return guarded([&] {
    closeStoreNow();
    return val(true);
  });
}

// Runs one command. Returns {result} (parsed JSON) and, when the command produced bytes, {bytes}.
val storeCall(const std::string& method, val paramsIn, val blobIn) {
  return guarded([&] {
    OpenStore& s = openStore();
    if (!s.commands) throw Error(ErrorCode::kStore, "the store is not open");
    // Params are small JSON (ids, names, options); bytes travel in blobIn.
    const std::string paramsJson =
        textIn(paramsIn, limits::kMaxVoiceConfigBytes, ErrorCode::kInvalidArgument, "params");
    nlohmann::json params;
    try {
      params = paramsJson.empty() ? nlohmann::json::object() : nlohmann::json::parse(paramsJson);
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorCode::kInvalidArgument, std::string("params are not JSON: ") + e.what());
    }
    std::vector<uint8_t> in;
    const bool haveIn = !blobIn.isNull() && !blobIn.isUndefined();
    if (haveIn) in = bytesIn(blobIn, limits::kMaxStoreBytesIn, ErrorCode::kInvalidArgument, "bytes");
    std::vector<uint8_t> out;
    const nlohmann::json result = s.commands->call(method, params, haveIn ? &in : nullptr, &out);
    val reply = val::object();
    reply.set("result", result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!out.empty()) reply.set("bytes", copyOut(out));
    return reply;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(avatar_voice_store) {
  emscripten::function("storeOpen", &storeOpen);
  emscripten::function("storeClose", &storeClose);
  emscripten::function("storeCall", &storeCall);
}

}  // namespace avatar_voice::wasm
