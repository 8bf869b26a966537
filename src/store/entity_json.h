// Rows as the JSON objects StoreCommands returns: camelCase keys, ids and timestamps as numbers,
// absent optionals as null, JSON columns embedded as JSON (not as strings).
//
//   nlohmann::json row = toJson(store.avatars().get(1));
//   // {"id":1,"name":"Ada","state":{},"createdAt":1718000000000,"updatedAt":1718000000000}
#pragma once

#include <nlohmann/json.hpp>

#include "store/entities.h"
#include "store/store.h"

namespace avatar_voice::store {

nlohmann::json toJson(const Avatar& avatar);
nlohmann::json toJson(const Session& session);
nlohmann::json toJson(const Preset& preset);
nlohmann::json toJson(const Render& render);
nlohmann::json toJson(const Audio& audio);
nlohmann::json toJson(const Phoneme& phoneme);
nlohmann::json toJson(const Asset& asset);
nlohmann::json toJson(const ConfigEntry& entry);
nlohmann::json toJson(const StoreStats& stats);
nlohmann::json toJson(const StoreHealth& health);

template <typename Row>
nlohmann::json toJson(const std::vector<Row>& rows) {
  nlohmann::json array = nlohmann::json::array();
  for (const Row& row : rows) array.push_back(toJson(row));
  return array;
}

}  // namespace avatar_voice::store
