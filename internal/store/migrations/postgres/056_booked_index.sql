-- The day's sweep of appointment no-shows (issue 10) finds the bookings still booked from their own index,
-- not by reading every appointment ever made.
CREATE INDEX hall_appointments_booked ON hall_appointments(day, slot_end) WHERE state = 'booked';
