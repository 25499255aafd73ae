/*
revision: "0001"
question: >-
  Who met, visited, called or negotiated with whom, and when?
description: >-
  Statements whose predicate is an encounter (visit, host, meet, phone, negotiate) between
  two entities.
*/
SELECT s.id AS statement_id, s.subject_id, subj.name AS subject, s.predicate,
       s.object_id, obj.name AS object, s.polarity, s.modality,
       COALESCE(s.event_date, d.published_at) AS date,
       s.document_id, d.title AS document_title, s.quote
FROM statements s
JOIN entities subj ON subj.id = s.subject_id
JOIN entities obj ON obj.id = s.object_id
JOIN documents d ON d.id = s.document_id
WHERE s.predicate IN ('visit', 'host', 'meet', 'phone', 'negotiate')
  AND s.status <> 'rejected'
