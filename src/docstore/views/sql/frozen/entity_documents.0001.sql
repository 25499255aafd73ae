/*
revision: "0001"
question: >-
  Which documents mention entity X, how many times?
description: >-
  One row per entity and document that mentions it, with the mention count.
*/
SELECT m.entity_id, e.name AS entity, m.document_id, d.title, d.published_at,
       COUNT(*) AS mentions
FROM mentions m
JOIN entities e ON e.id = m.entity_id
JOIN documents d ON d.id = m.document_id
GROUP BY m.entity_id, e.name, m.document_id, d.title, d.published_at
