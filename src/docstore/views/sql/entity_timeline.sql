/*
revision: "0010"
# One level of grouping only: SQLite pushes a filter on entity_id into one aggregate
# subquery, not through two (nor into a UNION ALL below it). So statements are counted by
# correlated subqueries, each an index search on (subject_id, status) and (object_id,
# status); the rows stay those of 0002 (the days the entity is mentioned). The day is a
# column of a subquery because PostgreSQL lets a correlated subquery use a grouped column
# but not a grouped expression.
question: >-
  When does entity X appear over time (by document date)?
description: >-
  One row per entity and publication day (YYYY-MM-DD; empty for undated documents) with
  the number of mentions and of documents, and of statements that have the entity as
  subject or object (rejected ones left out; verified_statements: those analysts
  verified). Filter by entity_id; group by substr(date, 1, 7) for months.
example: |-
  SELECT date, mentions, documents, statements, verified_statements FROM entity_timeline
  WHERE entity_id = :id ORDER BY date
*/
SELECT x.entity_id, e.name AS entity, x.date,
       COUNT(*) AS mentions, COUNT(DISTINCT x.document_id) AS documents,
       (SELECT COUNT(*) FROM statements s JOIN documents sd ON sd.id = s.document_id
        WHERE (s.subject_id = x.entity_id OR s.object_id = x.entity_id)
          AND s.status <> 'rejected'
          AND COALESCE(substr(sd.published_at, 1, 10), '') = COALESCE(x.date, '')
       ) AS statements,
       (SELECT COUNT(*) FROM statements s JOIN documents sd ON sd.id = s.document_id
        WHERE (s.subject_id = x.entity_id OR s.object_id = x.entity_id)
          AND s.status = 'verified'
          AND COALESCE(substr(sd.published_at, 1, 10), '') = COALESCE(x.date, '')
       ) AS verified_statements
FROM (
    SELECT m.entity_id, m.document_id, substr(d.published_at, 1, 10) AS date
    FROM mentions m
    JOIN documents d ON d.id = m.document_id
) x
JOIN entities e ON e.id = x.entity_id
GROUP BY x.entity_id, e.name, x.date
