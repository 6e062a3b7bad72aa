-- A name's pairs of characters are made only of characters side by side in it, never across a space (issue
-- 18): the holders of a pair's term are then exactly the names a search for the pair finds, and the search
-- counts them from the terms' index without reading an applicant. The names with a space in them get their
-- terms again at the next start (fillFindKeys: terms_of = 0); the others' terms do not change. The spaces are
-- those Go's unicode.IsSpace takes for one (Unicode's White_Space), Mongolian's narrow no-break space U+202F
-- and the ideographic space U+3000 among them.
UPDATE applicants SET terms_of = 0 WHERE strpos(name, chr(9)) > 0
   OR strpos(name, chr(10)) > 0
   OR strpos(name, chr(11)) > 0
   OR strpos(name, chr(12)) > 0
   OR strpos(name, chr(13)) > 0
   OR strpos(name, chr(32)) > 0
   OR strpos(name, chr(133)) > 0
   OR strpos(name, chr(160)) > 0
   OR strpos(name, chr(5760)) > 0
   OR strpos(name, chr(8192)) > 0
   OR strpos(name, chr(8193)) > 0
   OR strpos(name, chr(8194)) > 0
   OR strpos(name, chr(8195)) > 0
   OR strpos(name, chr(8196)) > 0
   OR strpos(name, chr(8197)) > 0
   OR strpos(name, chr(8198)) > 0
   OR strpos(name, chr(8199)) > 0
   OR strpos(name, chr(8200)) > 0
   OR strpos(name, chr(8201)) > 0
   OR strpos(name, chr(8202)) > 0
   OR strpos(name, chr(8232)) > 0
   OR strpos(name, chr(8233)) > 0
   OR strpos(name, chr(8239)) > 0
   OR strpos(name, chr(8287)) > 0
   OR strpos(name, chr(12288)) > 0;
