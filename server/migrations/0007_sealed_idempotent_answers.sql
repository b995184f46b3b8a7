-- Kept answers are sealed from now on: the answer to a started transfer holds its link.
-- Answers kept in clear before (a day's at most) are dropped: a retry with one of their
-- keys runs again, and a started transfer's is refused, its products being in it already.
DELETE FROM api_idempotency WHERE body IS NOT NULL;
