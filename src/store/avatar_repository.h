// Avatars: a named character with a free-form JSON state (emotion, pose, ...).
//
//   AvatarRepository avatars(db);
//   Avatar ada = avatars.getOrCreate("Ada");
//   avatars.patchState(ada.id, {{"emotion", "happy"}, {"pose", nullptr}});  // merge, drop "pose"
//
// Borrows the Database, which must outlive it. Unknown ids throw kNotFound; a duplicate or empty
// name throws kConstraint / kInvalidArgument. remove() also deletes the avatar's sessions,
// renders and audios (ON DELETE CASCADE).
#pragma once

#include <optional>
#include <vector>

#include "store/database.h"
#include "store/entities.h"

namespace avatar_voice::store {

class AvatarRepository {
 public:
  explicit AvatarRepository(Database& db) : db_(db) {}

  Avatar create(const std::string& name, const nlohmann::json& state = nlohmann::json::object());
  Avatar get(int64_t id);
  std::optional<Avatar> findByName(const std::string& name);
  // The avatar with this name, created with an empty state if there is none.
  Avatar getOrCreate(const std::string& name);
  std::vector<Avatar> list(const Page& page = {});
  Avatar update(int64_t id, const AvatarUpdate& update);
  // JSON merge patch (RFC 7396, SQLite's json_patch) of the state: keys set to null are removed,
  // objects merge recursively, everything else replaces. `patch` must be an object.
  Avatar patchState(int64_t id, const nlohmann::json& patch);
  void remove(int64_t id);
  int64_t count();

 private:
  Database& db_;
};

}  // namespace avatar_voice::store
