/*
revision: "0002"
question: >-
  Which entities are mentioned together in the same passage, how often?
description: >-
  One row per ordered pair of distinct entities mentioned in the same passage, with the
  number of passages and documents where both occur. Each pair appears in both directions,
  so filtering by entity_id lists everything mentioned with X.
example: |-
  SELECT other_entity, other_type, passages, documents FROM entity_cooccurrence
  WHERE entity_id = :id ORDER BY passages DESC LIMIT 20
*/
SELECT c.entity_id, ea.name AS entity, ea.type AS entity_type,
       c.other_entity_id, eb.name AS other_entity, eb.type AS other_type,
       c.passages, c.documents
FROM (SELECT a.entity_id, b.entity_id AS other_entity_id,
             COUNT(DISTINCT a.passage_id) AS passages,
             COUNT(DISTINCT a.document_id) AS documents
      FROM mentions a
      JOIN mentions b ON b.passage_id = a.passage_id AND b.entity_id <> a.entity_id
      GROUP BY a.entity_id, b.entity_id) c
JOIN entities ea ON ea.id = c.entity_id
JOIN entities eb ON eb.id = c.other_entity_id
