-- A name's pairs of characters are made only of characters side by side in it, never across a space (issue
-- 18): the holders of a pair's term are then exactly the names a search for the pair finds, and the search
-- counts them from the terms' index without reading an applicant. The names with a space in them get their
-- terms again at the next start (fillFindKeys: terms_of = 0); the others' terms do not change. The spaces are
-- those Go's unicode.IsSpace takes for one (Unicode's White_Space), Mongolian's narrow no-break space U+202F
-- and the ideographic space U+3000 among them.
UPDATE applicants SET terms_of = 0 WHERE instr(name, char(9)) > 0
   OR instr(name, char(10)) > 0
   OR instr(name, char(11)) > 0
   OR instr(name, char(12)) > 0
   OR instr(name, char(13)) > 0
   OR instr(name, char(32)) > 0
   OR instr(name, char(133)) > 0
   OR instr(name, char(160)) > 0
   OR instr(name, char(5760)) > 0
   OR instr(name, char(8192)) > 0
   OR instr(name, char(8193)) > 0
   OR instr(name, char(8194)) > 0
   OR instr(name, char(8195)) > 0
   OR instr(name, char(8196)) > 0
   OR instr(name, char(8197)) > 0
   OR instr(name, char(8198)) > 0
   OR instr(name, char(8199)) > 0
   OR instr(name, char(8200)) > 0
   OR instr(name, char(8201)) > 0
   OR instr(name, char(8202)) > 0
   OR instr(name, char(8232)) > 0
   OR instr(name, char(8233)) > 0
   OR instr(name, char(8239)) > 0
   OR instr(name, char(8287)) > 0
   OR instr(name, char(12288)) > 0;
