#include "store/store_commands.h"

#include <algorithm>
#include <new>

#include "store/entity_json.h"

namespace avatar_voice::store {

using nlohmann::json;

const std::vector<uint8_t>& CommandRequest::requireBlobIn() const {
  if (blobIn == nullptr) params.fail("needs the bytes in blobIn");
  return *blobIn;
}

std::vector<uint8_t>& CommandRequest::requireBlobOut() const {
  if (blobOut == nullptr) params.fail("needs a blobOut buffer for the bytes");
  return *blobOut;
}

StoreCommands::StoreCommands(Store& store) : store_(store) {
  addEntityCommands();
  addMediaCommands();
  addStoreCommands();
}

StoreCommands::~StoreCommands() {
  forgetClosedTransactions();
  if (!openTransactions_.empty()) {
    try {
      store_.database().rollbackTransaction(openTransactions_.front().level);
    } catch (...) {
      // Destructor: nothing to report to. The connection closing with the Store rolls back too.
    }
  }
}

void StoreCommands::add(const std::string& name, std::vector<std::string> params, Handler handler) {
  methods_[name] = Method{std::move(params), std::move(handler)};
}

void StoreCommands::addGetMany(const std::string& entity, std::function<json(int64_t)> get) {
  add(entity + ".getMany", {"ids"}, [get = std::move(get)](CommandRequest& r) {
    json rows = json::array();
    for (const int64_t id : r.params.requiredIds("ids", static_cast<size_t>(Page::kMaxListLimit))) {
      try {
        rows.push_back(get(id));
      } catch (const Error& e) {
        if (e.code() != ErrorCode::kNotFound) throw;
        rows.push_back(nullptr);
      }
    }
    return rows;
  });
}

std::map<std::string, std::vector<std::string>> StoreCommands::methods() const {
  std::map<std::string, std::vector<std::string>> names;
  for (const auto& [name, method] : methods_) names[name] = method.params;
  return names;
}

json StoreCommands::call(const std::string& method, const json& params,
                         const std::vector<uint8_t>* blobIn, std::vector<uint8_t>* blobOut) {
  auto found = methods_.find(method);
  if (found == methods_.end()) {
    throw Error(ErrorCode::kInvalidArgument, "unknown store method '" + method + "'");
  }
  CommandRequest request{method, CommandParams(method, params), blobIn, blobOut};
  // Reject unknown params before doing anything: a misspelt filter ("avatarID") would otherwise
  // silently list every row.
  const std::vector<std::string>& allowed = found->second.params;
  if (params.is_object()) {
    for (auto it = params.begin(); it != params.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
        request.params.fail("unknown param '" + it.key() + "'");
      }
    }
  }
  try {
    return found->second.handler(request);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kQuotaExceeded) throw quotaExceeded(method);
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::kStore, method + ": out of memory");
  } catch (const std::exception& e) {
    // A nlohmann or standard-library exception here is a bug in a handler, not a caller error.
    throw Error(ErrorCode::kInternal, method + ": " + e.what());
  }
}

Error StoreCommands::quotaExceeded(const std::string& method) {
  // After SQLITE_FULL SQLite may undo only the statement and keep an explicit transaction open
  // (an I/O error ends it). A full disk ends the whole transaction either way, so the caller gets
  // one rule: nothing of it was kept. The open tx ids stay listed; forgetClosedTransactions drops
  // them, and using one says it was rolled back after an error.
  try {
    if (store_.database().transactionDepth() > 0) store_.database().rollbackTransaction(1);
  } catch (const Error&) {
    // The rollback reads and shrinks files; if even that fails, SQLite's own state decides.
  }
  return Error(ErrorCode::kQuotaExceeded,
               "storage quota exceeded during " + method + "; the transaction was rolled back");
}

void StoreCommands::forgetClosedTransactions() {
  const int depth = store_.database().transactionDepth();
  while (!openTransactions_.empty() && openTransactions_.back().level > depth) {
    openTransactions_.pop_back();
  }
}

size_t StoreCommands::findTransaction(CommandRequest& request) {
  const int64_t txId = request.params.requiredInt64("txId");
  const std::vector<OpenTransaction> known = openTransactions_;
  forgetClosedTransactions();
  for (size_t i = 0; i < known.size(); ++i) {
    if (known[i].txId != txId) continue;
    if (i < openTransactions_.size()) return i;
    throw Error(ErrorCode::kStore, "transaction " + std::to_string(txId) +
                                       " was rolled back by SQLite after an earlier error");
  }
  request.params.fail("transaction " + std::to_string(txId) + " is not open");
}

void StoreCommands::addStoreCommands() {
  add("transaction.begin", {}, [this](CommandRequest&) {
    forgetClosedTransactions();
    const int level = store_.database().beginTransaction();
    openTransactions_.push_back({nextTxId_++, level});
    return json{{"txId", openTransactions_.back().txId}, {"depth", level}};
  });
  add("transaction.commit", {"txId"}, [this](CommandRequest& request) {
    const size_t index = findTransaction(request);
    if (index + 1 != openTransactions_.size()) {
      request.params.fail("transaction " + std::to_string(openTransactions_[index].txId) +
                          " has an open inner transaction " +
                          std::to_string(openTransactions_.back().txId) +
                          "; commit or roll that back first");
    }
    const int level = openTransactions_[index].level;
    openTransactions_.pop_back();  // committed, or rolled back by commitTransaction on failure
    store_.database().commitTransaction(level);
    return json(nullptr);
  });
  add("transaction.rollback", {"txId"}, [this](CommandRequest& request) {
    const size_t index = findTransaction(request);
    const int level = openTransactions_[index].level;
    openTransactions_.resize(index);  // inner transactions go with it
    store_.database().rollbackTransaction(level);
    return json(nullptr);
  });
  add("transaction.rollbackAll", {}, [this](CommandRequest&) {
    forgetClosedTransactions();
    const size_t open = openTransactions_.size();
    if (open > 0) {
      const int level = openTransactions_.front().level;
      openTransactions_.clear();
      store_.database().rollbackTransaction(level);
    }
    return json{{"rolledBack", open}};
  });
  add("stats", {}, [this](CommandRequest&) { return toJson(store_.stats()); });
  add("health", {}, [this](CommandRequest&) { return toJson(store_.health()); });
  add("export", {}, [this](CommandRequest& request) {
    std::vector<uint8_t>& out = request.requireBlobOut();
    out = store_.exportDatabase();
    return json{{"size", out.size()}};
  });
  add("import", {}, [this](CommandRequest& request) {
    store_.importDatabase(request.requireBlobIn());
    return toJson(store_.stats());
  });
}

void StoreCommands::addEntityCommands() {
  // ---- avatars
  add("avatars.create", {"name", "state"}, [this](CommandRequest& r) {
    const json state = r.params.optionalObject("state").value_or(json::object());
    return toJson(store_.avatars().create(r.params.requiredString("name"), state));
  });
  add("avatars.get", {"id"}, [this](CommandRequest& r) {
    return toJson(store_.avatars().get(r.params.requiredInt64("id")));
  });
  addGetMany("avatars", [this](int64_t id) { return toJson(store_.avatars().get(id)); });
  add("avatars.getOrCreate", {"name"}, [this](CommandRequest& r) {
    return toJson(store_.avatars().getOrCreate(r.params.requiredString("name")));
  });
  add("avatars.list", {"limit", "offset", "order"},
      [this](CommandRequest& r) { return toJson(store_.avatars().list(r.params.page())); });
  add("avatars.update", {"id", "name", "state"}, [this](CommandRequest& r) {
    AvatarUpdate update;
    update.name = r.params.optionalString("name");
    update.state = r.params.optionalObject("state");
    return toJson(store_.avatars().update(r.params.requiredInt64("id"), update));
  });
  add("avatars.patchState", {"id", "patch"}, [this](CommandRequest& r) {
    const std::optional<json> patch = r.params.optionalObject("patch");
    if (!patch) r.params.fail("missing required param 'patch'");
    return toJson(store_.avatars().patchState(r.params.requiredInt64("id"), *patch));
  });
  add("avatars.delete", {"id"}, [this](CommandRequest& r) {
    store_.avatars().remove(r.params.requiredInt64("id"));
    return json(nullptr);
  });

  // ---- sessions (no "sessions.delete": softDelete and purge say which one is meant)
  add("sessions.create", {"avatarId", "kind", "title", "metadata"}, [this](CommandRequest& r) {
    NewSession fields;
    fields.avatarId = r.params.requiredInt64("avatarId");
    fields.kind = r.params.requiredString("kind");
    fields.title = r.params.optionalString("title").value_or("");
    fields.metadata = r.params.optionalObject("metadata").value_or(json::object());
    return toJson(store_.sessions().create(fields));
  });
  add("sessions.get", {"id"}, [this](CommandRequest& r) {
    return toJson(store_.sessions().get(r.params.requiredInt64("id")));
  });
  addGetMany("sessions", [this](int64_t id) { return toJson(store_.sessions().get(id)); });
  add("sessions.list",
      {"avatarId", "kind", "includeDeleted", "onlyDeleted", "limit", "offset", "order"},
      [this](CommandRequest& r) {
        SessionFilter filter;
        filter.avatarId = r.params.optionalInt64("avatarId");
        filter.kind = r.params.optionalString("kind");
        filter.includeDeleted = r.params.optionalBool("includeDeleted", false);
        filter.onlyDeleted = r.params.optionalBool("onlyDeleted", false);
        filter.page = r.params.page();
        return toJson(store_.sessions().list(filter));
      });
  add("sessions.update", {"id", "kind", "title", "metadata"}, [this](CommandRequest& r) {
    SessionUpdate update;
    update.kind = r.params.optionalString("kind");
    update.title = r.params.optionalString("title");
    update.metadata = r.params.optionalObject("metadata");
    return toJson(store_.sessions().update(r.params.requiredInt64("id"), update));
  });
  add("sessions.softDelete", {"id"}, [this](CommandRequest& r) {
    return toJson(store_.sessions().softDelete(r.params.requiredInt64("id")));
  });
  add("sessions.restore", {"id"}, [this](CommandRequest& r) {
    return toJson(store_.sessions().restore(r.params.requiredInt64("id")));
  });
  add("sessions.purge", {"id"}, [this](CommandRequest& r) {
    store_.sessions().purge(r.params.requiredInt64("id"));
    return json(nullptr);
  });

  // ---- presets
  add("presets.create", {"kind", "name", "data"}, [this](CommandRequest& r) {
    const json data = r.params.optionalJson("data").value_or(json::object());
    return toJson(store_.presets().create(r.params.requiredString("kind"),
                                          r.params.requiredString("name"), data));
  });
  add("presets.get", {"id"}, [this](CommandRequest& r) {
    return toJson(store_.presets().get(r.params.requiredInt64("id")));
  });
  add("presets.list", {"kind", "limit", "offset", "order"}, [this](CommandRequest& r) {
    PresetFilter filter;
    filter.kind = r.params.optionalString("kind");
    filter.page = r.params.page();
    return toJson(store_.presets().list(filter));
  });
  add("presets.update", {"id", "name", "data"}, [this](CommandRequest& r) {
    PresetUpdate update;
    update.name = r.params.optionalString("name");
    update.data = r.params.optionalJson("data");
    return toJson(store_.presets().update(r.params.requiredInt64("id"), update));
  });
  add("presets.delete", {"id"}, [this](CommandRequest& r) {
    store_.presets().remove(r.params.requiredInt64("id"));
    return json(nullptr);
  });

  // ---- config
  add("config.get", {"key"}, [this](CommandRequest& r) {
    return toJson(store_.config().get(r.params.requiredString("key")));
  });
  add("config.list", {}, [this](CommandRequest&) { return toJson(store_.config().list()); });
  add("config.set", {"key", "value"}, [this](CommandRequest& r) {
    return toJson(
        store_.config().set(r.params.requiredString("key"), r.params.requiredJson("value")));
  });
  add("config.delete", {"key"}, [this](CommandRequest& r) {
    store_.config().remove(r.params.requiredString("key"));
    return json(nullptr);
  });
}

}  // namespace avatar_voice::store
