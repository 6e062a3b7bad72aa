-- The 好差评 figures of a year by item or person (issue 10): the daily tally has a row per day, township and
-- item, so a year added up some hundred thousand rows (230 ms at 300,000 ratings). Each month now has its
-- own rows too (day 00 of the month, yyyymm00, which no day has), kept by the same transactions; a period
-- reads the months it holds whole and the days of the months it holds in part (store.tallyDays).
INSERT INTO rating_tally (dim, day, township_id, value, total, good, bad, rectified, revisited, satisfied, dropped)
  SELECT dim, day / 100 * 100, township_id, value, sum(total), sum(good), sum(bad), sum(rectified), sum(revisited), sum(satisfied), sum(dropped)
  FROM rating_tally WHERE day % 100 <> 0 GROUP BY dim, day / 100 * 100, township_id, value;
