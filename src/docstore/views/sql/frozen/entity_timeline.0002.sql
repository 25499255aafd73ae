/*
revision: "0002"
# One level of grouping only: SQLite pushes a filter on entity_id into one aggregate
# subquery, not through two.
question: >-
  When does entity X appear over time (by document date)?
description: >-
  One row per entity and publication day (YYYY-MM-DD; empty for undated documents) with
  the number of mentions and of documents. Filter by entity_id; group by substr(date, 1,
  7) for months.
example: |-
  SELECT date, mentions, documents FROM entity_timeline
  WHERE entity_id = :id ORDER BY date
*/
SELECT m.entity_id, e.name AS entity, substr(d.published_at, 1, 10) AS date,
       COUNT(*) AS mentions, COUNT(DISTINCT m.document_id) AS documents
FROM mentions m
JOIN entities e ON e.id = m.entity_id
JOIN documents d ON d.id = m.document_id
GROUP BY m.entity_id, e.name, substr(d.published_at, 1, 10)
