-- Where a result due stands against the 20-working-day deadline on `day`: on_time / late (published on or before /
-- after due_on, Asia/Shanghai), overdue (not published and due_on passed; or not entered and the latest due date its
-- draw allows passed), open (anything else). A NULL published_at / entered_at: not (yet) published / entered.
CREATE OR REPLACE TEMP MACRO coverage_deadline(published_at, entered_at, due_on, latest_due_on, day) AS
  CASE
    WHEN published_at IS NOT NULL THEN
      CASE WHEN CAST(timezone('Asia/Shanghai', published_at) AS DATE) <= due_on THEN 'on_time' ELSE 'late' END
    WHEN entered_at IS NOT NULL THEN CASE WHEN due_on < day THEN 'overdue' ELSE 'open' END
    WHEN latest_due_on < day THEN 'overdue'
    ELSE 'open'
  END;
