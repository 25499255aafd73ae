/*
revision: "0001"
question: >-
  Which entities are mentioned together in the same passage, how often?
description: >-
  One row per ordered pair of distinct entities with the number of passages (and
  documents) that mention both.
*/
SELECT a.entity_id, ea.name AS entity, b.entity_id AS other_entity_id,
       eb.name AS other_entity,
       COUNT(DISTINCT a.passage_id) AS passages,
       COUNT(DISTINCT a.document_id) AS documents
FROM mentions a
JOIN mentions b ON b.passage_id = a.passage_id AND b.entity_id <> a.entity_id
JOIN entities ea ON ea.id = a.entity_id
JOIN entities eb ON eb.id = b.entity_id
GROUP BY a.entity_id, ea.name, b.entity_id, eb.name
