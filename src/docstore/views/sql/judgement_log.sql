/*
revision: "0005"
question: >-
  Which judgements did analysts make, about what, by whom and when?
description: >-
  One row per judgement: its kind, its target (entity key, document uid or statement
  identity "uid:start-end:predicate") with the target's current name (or its name when
  judged, for entities merged away or rejected and for deleted documents), the document of
  a statement or document judgement, the arguments (JSON), author, time, note, and whether
  it is active or was undone (and when). Filter by author, kind, target or entity_id.
example: |-
  SELECT judgement_id, created_at, author, kind, target_name, state, note
  FROM judgement_log WHERE state = 'active' ORDER BY created_at
*/
SELECT j.id AS judgement_id, j.kind, j.target,
       COALESCE(e.name, d.title, j.target_name) AS target_name, e.id AS entity_id,
       d.id AS document_id, j.document_uid, j.char_start, j.char_end, j.predicate,
       j.arguments, j.author, j.created_at, j.note, j.undone_at, j.undone_by,
       CASE WHEN j.undone_at IS NULL THEN 'active' ELSE 'undone' END AS state
FROM judgements j
LEFT JOIN entities e ON e.key = j.target
                    AND j.kind NOT IN ('statement_reject', 'statement_verify',
                                       'statement_edit', 'document_delete')
LEFT JOIN documents d ON d.uid = j.document_uid
