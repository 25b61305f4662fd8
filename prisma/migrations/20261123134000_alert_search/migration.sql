-- Free-text search over alerts (issue #6): a trigram FTS5 index over the fields
-- the alert list's `q` searches, so a term of three or more characters finds its
-- rows without reading a million alerts. It is an external-content index: it
-- stores only the trigram postings, reading text from "Alert" itself, and is keyed
-- by the alert's rowid. Positions are kept (detail=full) so a term is matched as a
-- phrase of its trigrams, i.e. as a substring: the candidate count is then the real
-- match count, which the list query uses to choose its plan. The query still checks
-- each term with LIKE, the exact rule (the index folds Unicode case, LIKE only ASCII).
--
-- Triggers keep it equal to "Alert" whatever writes it. Two things bypass them and
-- need `INSERT INTO "AlertSearch"("AlertSearch") VALUES('rebuild');` afterwards:
-- VACUUM (it may renumber the rowids of a table without an INTEGER PRIMARY KEY) and
-- a migration that rebuilds "Alert" (dropping a table drops its triggers: recreate
-- these three and rebuild).
CREATE VIRTUAL TABLE "AlertSearch" USING fts5(
  "ruleName", "containerName", "imageName", "hostName", "processName", "commandLine", "userName",
  content = 'Alert', content_rowid = 'rowid', tokenize = 'trigram', detail = 'full'
);

CREATE TRIGGER "Alert_search_insert" AFTER INSERT ON "Alert" BEGIN
  INSERT INTO "AlertSearch" ("rowid", "ruleName", "containerName", "imageName", "hostName", "processName", "commandLine", "userName")
    VALUES (NEW."rowid", NEW."ruleName", NEW."containerName", NEW."imageName", NEW."hostName", NEW."processName", NEW."commandLine", NEW."userName");
END;

CREATE TRIGGER "Alert_search_delete" AFTER DELETE ON "Alert" BEGIN
  INSERT INTO "AlertSearch" ("AlertSearch", "rowid", "ruleName", "containerName", "imageName", "hostName", "processName", "commandLine", "userName")
    VALUES ('delete', OLD."rowid", OLD."ruleName", OLD."containerName", OLD."imageName", OLD."hostName", OLD."processName", OLD."commandLine", OLD."userName");
END;

CREATE TRIGGER "Alert_search_update" AFTER UPDATE OF "ruleName", "containerName", "imageName", "hostName", "processName", "commandLine", "userName" ON "Alert" BEGIN
  INSERT INTO "AlertSearch" ("AlertSearch", "rowid", "ruleName", "containerName", "imageName", "hostName", "processName", "commandLine", "userName")
    VALUES ('delete', OLD."rowid", OLD."ruleName", OLD."containerName", OLD."imageName", OLD."hostName", OLD."processName", OLD."commandLine", OLD."userName");
  INSERT INTO "AlertSearch" ("rowid", "ruleName", "containerName", "imageName", "hostName", "processName", "commandLine", "userName")
    VALUES (NEW."rowid", NEW."ruleName", NEW."containerName", NEW."imageName", NEW."hostName", NEW."processName", NEW."commandLine", NEW."userName");
END;

-- Index the alerts already stored.
INSERT INTO "AlertSearch" ("AlertSearch") VALUES ('rebuild');
