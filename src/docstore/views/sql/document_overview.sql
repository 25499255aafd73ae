/*
revision: "0002"
question: >-
  What does each document contain (passages, entities, statements)?
description: >-
  One row per document: title, date, publisher, author, source and URL, with counts of
  passages, mentions, distinct entities and statements. Filter by document_id.
example: |-
  SELECT document_id, title, published_at, passages, entities, statements
  FROM document_overview ORDER BY published_at DESC LIMIT 20
*/
SELECT d.id AS document_id, d.title, d.published_at, d.publisher, d.author,
       d.language, d.source, d.url, d.ingested_at,
       (SELECT COUNT(*) FROM passages p WHERE p.document_id = d.id) AS passages,
       (SELECT COUNT(*) FROM mentions m WHERE m.document_id = d.id) AS mentions,
       (SELECT COUNT(DISTINCT m.entity_id) FROM mentions m
         WHERE m.document_id = d.id) AS entities,
       (SELECT COUNT(*) FROM statements s
         WHERE s.document_id = d.id AND s.status <> 'rejected') AS statements
FROM documents d
