-- Staff records (issue 11 point 1): a title, a staff number, the windows and back-office seats one is
-- qualified for and the item domains one handles (comma-separated ids and names: a township splits its back
-- office by domain, 一人负责一块, or keeps 一人通办 with none), duties shown on the public staff page, and a photo.
ALTER TABLE staff ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN staff_no TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN seats TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN domains TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN duties TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN photo_sha256 TEXT NOT NULL DEFAULT '';

-- The photo, resized on upload, kept by its content address (the audit entry names the hash).
CREATE TABLE staff_photos (
  staff_id TEXT PRIMARY KEY REFERENCES staff(id),
  sha256 TEXT NOT NULL,
  body BYTEA NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
