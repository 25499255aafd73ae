/*
revision: "0001"
question: >-
  Where exactly is X mentioned, with the passage text around it?
description: >-
  One row per mention with its offsets, label and the passage it occurs in.
*/
SELECT m.id AS mention_id, m.entity_id, e.name AS entity, m.text, m.label,
       m.document_id, d.title AS document_title, d.published_at,
       m.passage_id, p.seq AS passage_seq, p.text AS passage,
       m.char_start, m.char_end
FROM mentions m
JOIN entities e ON e.id = m.entity_id
JOIN passages p ON p.id = m.passage_id
JOIN documents d ON d.id = m.document_id
