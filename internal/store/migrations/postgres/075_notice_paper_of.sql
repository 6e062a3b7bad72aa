-- Issue 18: a move that issues two notices saying the same (the 受理通知书 and the 告知承诺书 keep the same
-- fields of the case: the checked materials and the pledge) keeps that paper once: the second notice names
-- the first in paper_of and keeps doc ''. A notice is never changed once issued, so the paper it refers to
-- stands as long as it does. Notices issued before keep their own doc (paper_of NULL).
ALTER TABLE notices ADD COLUMN paper_of TEXT;
