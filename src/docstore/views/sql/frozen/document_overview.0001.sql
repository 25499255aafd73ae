/*
revision: "0001"
question: >-
  What does each document contain (passages, entities, statements)?
description: >-
  One row per document with its date, source and counts of passages, mentions, distinct
  entities and statements.
*/
SELECT d.id AS document_id, d.title, d.published_at, d.publisher, d.source, d.url,
       (SELECT COUNT(*) FROM passages p WHERE p.document_id = d.id) AS passages,
       (SELECT COUNT(*) FROM mentions m WHERE m.document_id = d.id) AS mentions,
       (SELECT COUNT(DISTINCT m.entity_id) FROM mentions m
         WHERE m.document_id = d.id) AS entities,
       (SELECT COUNT(*) FROM statements s WHERE s.document_id = d.id) AS statements
FROM documents d
