#include "store/queries.h"

namespace avatar_voice::store {
namespace {

int bindValues(Statement& statement, const std::vector<SqlValue>& values) {
  int index = 1;
  for (const SqlValue& value : values) {
    if (const auto* number = std::get_if<int64_t>(&value)) {
      statement.bindInt64(index, *number);
    } else if (const auto* real = std::get_if<double>(&value)) {
      statement.bindDouble(index, *real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      statement.bindText(index, *text);
    } else {
      statement.bindNull(index);
    }
    ++index;
  }
  return index;
}

}  // namespace

void validatePage(const Page& page) {
  if (page.limit < 1 || page.limit > Page::kMaxListLimit) {
    throw Error(ErrorCode::kInvalidArgument, "limit must be between 1 and " +
                                                 std::to_string(Page::kMaxListLimit) + ", got " +
                                                 std::to_string(page.limit));
  }
  if (page.offset < 0) {
    throw Error(ErrorCode::kInvalidArgument,
                "offset must not be negative, got " + std::to_string(page.offset));
  }
}

ListQuery& ListQuery::where(std::string condition) {
  conditions_.push_back(std::move(condition));
  return *this;
}

ListQuery& ListQuery::where(std::string condition, SqlValue value) {
  conditions_.push_back(std::move(condition));
  values_.push_back(std::move(value));
  return *this;
}

Statement ListQuery::prepare(Database& db, const Page& page) const {
  validatePage(page);
  std::string sql = sql_;
  for (size_t i = 0; i < conditions_.size(); ++i) {
    sql += i == 0 ? " WHERE (" : " AND (";
    sql += conditions_[i] + ")";
  }
  // Ordered by id so that paging stays stable while rows are added (newest first: pages stay
  // stable while rows are added at the end, only the first page grows).
  sql += page.newestFirst ? " ORDER BY id DESC LIMIT ? OFFSET ?" : " ORDER BY id LIMIT ? OFFSET ?";
  Statement statement = db.prepare(sql);
  const int index = bindValues(statement, values_);
  statement.bindInt64(index, page.limit).bindInt64(index + 1, page.offset);
  return statement;
}

UpdateQuery& UpdateQuery::set(std::string assignment) {
  assignments_.push_back(std::move(assignment));
  return *this;
}

UpdateQuery& UpdateQuery::set(std::string assignment, SqlValue value) {
  assignments_.push_back(std::move(assignment));
  values_.push_back(std::move(value));
  return *this;
}

Statement UpdateQuery::prepare(Database& db, int64_t id, const std::string& returning) const {
  if (assignments_.empty()) {
    throw Error(ErrorCode::kInternal, "UpdateQuery on " + table_ + " without assignments");
  }
  std::string sql = "UPDATE " + table_ + " SET ";
  for (size_t i = 0; i < assignments_.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += assignments_[i];
  }
  sql += " WHERE id = ? RETURNING " + returning;
  Statement statement = db.prepare(sql);
  statement.bindInt64(bindValues(statement, values_), id);
  return statement;
}

}  // namespace avatar_voice::store
