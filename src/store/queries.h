// Small SQL builders for the repositories: a filtered, paged SELECT and a partial UPDATE, built
// without pasting values into SQL text.
//
//   ListQuery query("SELECT id, name FROM sessions");
//   if (filter.avatarId) query.where("avatar_id = ?", *filter.avatarId);
//   if (!filter.includeDeleted) query.where("deleted_at IS NULL");
//   Statement rows = query.prepare(db, filter.page);          // ... ORDER BY id LIMIT ? OFFSET ?
//
//   UpdateQuery update("sessions");
//   if (change.title) update.set("title = ?", *change.title);
//   Session row = update.run(db, id, "id, title", "session 7 not found", readSession);
//
// Conditions and assignments are SQL written by the repositories, never by callers; each holds at
// most one '?', and every value is bound.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "store/database.h"
#include "store/entities.h"

namespace avatar_voice::store {

using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

// Throws kInvalidArgument for a limit outside 1..Page::kMaxListLimit or a negative offset.
void validatePage(const Page& page);

class ListQuery {
 public:
  explicit ListQuery(std::string selectFrom) : sql_(std::move(selectFrom)) {}

  ListQuery& where(std::string condition);
  ListQuery& where(std::string condition, SqlValue value);

  Statement prepare(Database& db, const Page& page) const;

 private:
  std::string sql_;
  std::vector<std::string> conditions_;
  std::vector<SqlValue> values_;
};

class UpdateQuery {
 public:
  explicit UpdateQuery(std::string table) : table_(std::move(table)) {}

  UpdateQuery& set(std::string assignment);
  UpdateQuery& set(std::string assignment, SqlValue value);
  bool empty() const { return assignments_.empty(); }

  // Updates row `id` and returns readRow(statement) for its RETURNING columns; throws kNotFound
  // with `notFoundMessage` when no row has this id.
  template <typename ReadRow>
  auto run(Database& db, int64_t id, const std::string& returning,
           const std::string& notFoundMessage, ReadRow&& readRow) const {
    Statement statement = prepare(db, id, returning);
    if (!statement.step()) throw Error(ErrorCode::kNotFound, notFoundMessage);
    auto row = readRow(statement);
    // Run to SQLITE_DONE: the statement (and, outside a transaction, its implicit transaction)
    // ends here rather than whenever the Statement happens to be destroyed.
    statement.run();
    return row;
  }

 private:
  Statement prepare(Database& db, int64_t id, const std::string& returning) const;

  std::string table_;
  std::vector<std::string> assignments_;
  std::vector<SqlValue> values_;
};

}  // namespace avatar_voice::store
