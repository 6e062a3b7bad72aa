-- Public forms filed without an account (complaints on the portal), by the address they came from:
-- people.OnlineComplaintsPerHour bounds them per address and hour across every instance (the bound was kept in
-- each instance's memory, so that n instances let n times as many through). Rows older than an hour go
-- whenever one is counted.
CREATE TABLE public_forms (
  address TEXT NOT NULL,
  form TEXT NOT NULL,
  filed_at TIMESTAMP NOT NULL
);
CREATE INDEX public_forms_address ON public_forms(address, form, filed_at);
