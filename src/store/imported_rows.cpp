#include "store/imported_rows.h"

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/config_repository.h"
#include "text/unicode_nfd.h"

namespace avatar_voice::store {
namespace {

Error rejected(const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, "import rejected: " + why);
}

std::string quoted(const std::string& identifier) {
  std::string out = "\"";
  for (char c : identifier) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The columns the repositories read with jsonFromColumn (their CHECK is json_valid, which accepts
// what nlohmann rejects, e.g. invalid UTF-8 inside a string). Keep in step with migrations.cpp.
const std::set<std::pair<std::string, std::string>>& jsonColumns() {
  static const std::set<std::pair<std::string, std::string>> columns = {
      {"avatars", "state"},     {"sessions", "metadata"}, {"presets", "data"},
      {"config", "value"},      {"renders", "metadata"},  {"audios", "metadata"},
  };
  return columns;
}

struct Column {
  std::string name;
  std::string type;  // declared type; our tables are STRICT, so it is what the value is
};

std::vector<Column> columnsOf(Database& db, const std::string& table) {
  std::vector<Column> columns;
  Statement info = db.prepare("SELECT name, upper(type) FROM pragma_table_info(?, 'main')");
  info.bindText(1, table);
  while (info.step()) columns.push_back({info.columnText(0), info.columnText(1)});
  return columns;
}

void requireNoRow(Database& db, const std::string& sql, const std::string& why) {
  Statement query = db.prepare(sql);
  if (query.step()) throw rejected(why + " (value " + query.columnText(0) + ")");
}

void checkColumn(Database& db, const std::string& table, const Column& column) {
  const std::string where = " FROM main." + quoted(table) + " WHERE ";
  const std::string col = quoted(column.name);
  const std::string what = table + "." + column.name;
  if (column.type == "INTEGER") {
    // No abs(): abs(-2^63) is an integer-overflow error, not a row.
    const std::string bound = std::to_string(kMaxSafeInteger);
    requireNoRow(db, "SELECT " + col + where + col + " > " + bound + " OR " + col + " < -" + bound,
                 what + " holds an integer beyond ±(2^53 - 1), which JavaScript would round");
  } else if (column.type == "REAL") {
    requireNoRow(db, "SELECT " + col + where + "abs(" + col + ") > 1.7976931348623157e308",
                 what + " holds an infinite number");
  } else if (column.type == "TEXT") {
    const bool isJson = jsonColumns().count({table, column.name}) != 0;
    // (phonemes is WITHOUT ROWID: rows are counted, not named by rowid)
    Statement values = db.prepare("SELECT " + col + where + "typeof(" + col + ") = 'text'");
    for (int64_t n = 1; values.step(); ++n) {
      const std::string text = values.columnText(0);
      const std::string row = " (value " + std::to_string(n) + ")";
      size_t bad = 0;
      if (!isValidUtf8(text, &bad))
        throw rejected(what + " is not valid UTF-8 at byte " + std::to_string(bad) + row);
      if (isJson && !nlohmann::json::accept(text))
        throw rejected(what + " is not JSON the store can read" + row);
    }
  }
}

void checkConfig(Database& db) {
  Statement rows = db.prepare("SELECT key, value FROM main.config");
  while (rows.step()) {
    const std::string key = rows.columnText(0);
    if (key.size() > 128) throw rejected("config key longer than 128 bytes");
    for (const ConfigDefault& entry : ConfigRepository::defaults()) {
      if (entry.key != key) continue;
      const nlohmann::json value = nlohmann::json::parse(rows.columnText(1));
      // The same rule as ConfigRepository::set: a documented key is a positive integer (e.g.
      // assets.maxBytes = -1 would switch the asset size limit off).
      if (!value.is_number_integer() || value.get<int64_t>() <= 0)
        throw rejected("config key '" + key + "' must be a positive integer, got " + value.dump());
    }
  }
}

// sqlite_sequence is an ordinary, unchecked table: a high-water mark of 2^63 - 1 makes every
// later insert fail with SQLITE_FULL, one past 2^53 hands out ids JavaScript rounds.
void checkSequence(Database& db, const std::set<std::string>& tables) {
  Statement rows = db.prepare(
      "SELECT name, seq, typeof(seq), count(*) OVER (PARTITION BY name) FROM main.sqlite_sequence");
  while (rows.step()) {
    const std::string name = rows.columnText(0);
    if (tables.count(name) == 0) throw rejected("sqlite_sequence names an unknown table");
    if (rows.columnInt64(3) != 1) throw rejected("sqlite_sequence lists " + name + " twice");
    if (rows.columnText(2) != "integer" || rows.columnInt64(1) < 0 ||
        rows.columnInt64(1) >= kMaxSafeInteger) {
      throw rejected("sqlite_sequence high-water mark of " + name +
                     " is not an integer in 0..2^53 - 2");
    }
  }
}

}  // namespace

void requireApiReadableRows(Database& db) {
  std::set<std::string> tables;
  Statement list = db.prepare(
      "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  while (list.step()) tables.insert(list.columnText(0));
  for (const std::string& table : tables) {
    for (const Column& column : columnsOf(db, table)) checkColumn(db, table, column);
  }
  checkConfig(db);
  checkSequence(db, tables);
}

}  // namespace avatar_voice::store
