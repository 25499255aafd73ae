/*
revision: "0002"
question: >-
  Where exactly is X mentioned, with the passage text around it?
description: >-
  One row per mention: the text and label, up to 80 characters before and after it in its
  passage, the whole passage, its offsets in the document body and the document. Filter by
  entity_id (or document_id).
example: |-
  SELECT document_title, context_before, text, context_after
  FROM entity_mentions_in_context WHERE entity_id = :id ORDER BY published_at, char_start
*/
SELECT m.id AS mention_id, m.entity_id, e.name AS entity, m.text, m.label,
       CASE WHEN (m.char_start - p.char_start) > 80 THEN substr(p.text, (m.char_start - p.char_start) - 79, 80)
            ELSE substr(p.text, 1, (m.char_start - p.char_start)) END AS context_before,
       substr(p.text, m.char_end - p.char_start + 1, 80) AS context_after,
       m.document_id, d.title AS document_title, d.published_at,
       m.passage_id, p.seq AS passage_seq, p.kind AS passage_kind,
       p.text AS passage, m.char_start, m.char_end, m.method, m.confidence
FROM mentions m
JOIN entities e ON e.id = m.entity_id
JOIN passages p ON p.id = m.passage_id
JOIN documents d ON d.id = m.document_id
