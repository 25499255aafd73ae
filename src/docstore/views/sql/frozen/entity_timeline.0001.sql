/*
revision: "0001"
question: >-
  When does entity X appear over time (by document date)?
description: >-
  One row per entity and document date with mention and document counts.
*/
SELECT m.entity_id, e.name AS entity, substr(d.published_at, 1, 10) AS date,
       COUNT(*) AS mentions, COUNT(DISTINCT m.document_id) AS documents
FROM mentions m
JOIN entities e ON e.id = m.entity_id
JOIN documents d ON d.id = m.document_id
GROUP BY m.entity_id, e.name, substr(d.published_at, 1, 10)
