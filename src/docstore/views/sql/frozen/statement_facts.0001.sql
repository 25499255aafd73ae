/*
revision: "0001"
question: >-
  Who did or said what to whom, when, according to which document, with the evidence
  quote?
description: >-
  One row per statement with subject, predicate, object and speaker names, polarity,
  modality, dates, the quote and its document.
*/
SELECT s.id AS statement_id, s.subject_id, subj.name AS subject, s.predicate,
       s.object_id, COALESCE(obj.name, s.object_text) AS object, s.object_text,
       s.polarity, s.modality, s.speaker_id, spk.name AS speaker,
       COALESCE(s.event_date, d.published_at) AS date, s.event_date,
       s.document_id, d.title AS document_title, d.published_at,
       s.quote, s.char_start, s.char_end, s.method, s.confidence, s.status
FROM statements s
JOIN entities subj ON subj.id = s.subject_id
LEFT JOIN entities obj ON obj.id = s.object_id
LEFT JOIN entities spk ON spk.id = s.speaker_id
JOIN documents d ON d.id = s.document_id
WHERE s.status <> 'rejected'
