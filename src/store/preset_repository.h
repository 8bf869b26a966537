// Presets: named JSON documents grouped by kind ("question_set", "avatar_style", ...).
//
//   PresetRepository presets(db);
//   Preset p = presets.create("question_set", "Backend interview", {{"questions", {"Why C++?"}}});
//   PresetFilter filter;
//   filter.kind = "question_set";
//   std::vector<Preset> sets = presets.list(filter);
//
// Borrows the Database, which must outlive it. The name is unique within its kind (kConstraint);
// `data` may be any JSON value. Unknown ids throw kNotFound.
#pragma once

#include <vector>

#include "store/database.h"
#include "store/entities.h"

namespace avatar_voice::store {

class PresetRepository {
 public:
  explicit PresetRepository(Database& db) : db_(db) {}

  Preset create(const std::string& kind, const std::string& name,
                const nlohmann::json& data = nlohmann::json::object());
  Preset get(int64_t id);
  std::vector<Preset> list(const PresetFilter& filter = {});
  Preset update(int64_t id, const PresetUpdate& update);
  void remove(int64_t id);
  int64_t count();

 private:
  Database& db_;
};

}  // namespace avatar_voice::store
