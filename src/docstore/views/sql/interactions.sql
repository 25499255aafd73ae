/*
revision: "0002"
question: >-
  Who met, visited, called or negotiated with whom, and when?
description: >-
  Statements that are not rejected whose predicate is an encounter (visit, host, meet,
  phone, negotiate) between two entities, with the date, the document and the quote.
  Filter by subject_id, object_id or document_id.
example: |-
  SELECT date, subject, predicate, object, document_title
  FROM interactions WHERE subject_id = :id OR object_id = :id ORDER BY date
*/
SELECT s.id AS statement_id, s.subject_id, subj.name AS subject, s.predicate,
       s.object_id, obj.name AS object, s.polarity, s.modality,
       COALESCE(s.event_date, d.published_at) AS date, s.event_date,
       s.document_id, d.title AS document_title, d.published_at,
       s.passage_id, s.quote, s.status
FROM statements s
JOIN entities subj ON subj.id = s.subject_id
JOIN entities obj ON obj.id = s.object_id
JOIN documents d ON d.id = s.document_id
WHERE s.predicate IN ('visit', 'host', 'meet', 'phone', 'negotiate')
  AND s.status <> 'rejected'
