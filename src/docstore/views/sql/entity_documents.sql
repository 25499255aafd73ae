/*
revision: "0002"
question: >-
  Which documents mention entity X, how many times?
description: >-
  One row per entity and document that mentions it: the document's title, date and
  publisher, the number of mentions and of passages with a mention. Filter by entity_id
  (or document_id).
example: |-
  SELECT title, published_at, mentions FROM entity_documents
  WHERE entity_id = :id ORDER BY mentions DESC, published_at
*/
SELECT c.entity_id, e.name AS entity, e.type AS entity_type,
       c.document_id, d.title, d.published_at, d.publisher, d.url,
       c.mentions, c.passages
FROM (SELECT m.entity_id, m.document_id, COUNT(*) AS mentions,
         COUNT(DISTINCT m.passage_id) AS passages
  FROM mentions m GROUP BY m.entity_id, m.document_id) c
JOIN entities e ON e.id = c.entity_id
JOIN documents d ON d.id = c.document_id
